"""DER control records: each charge point's DER controls, per control id, as set and answered."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from shared.data.tables import OnDemand
from shared.domain.der import DerControl


class DerControlRecord(Model):
    """A DER control sent to a charge point with SetDERControl, with the station's answer (a
    refused one shows why). Cleared controls are deleted."""

    class Meta(OnDemand, table="der-controls"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    control_id = UnicodeAttribute(range_key=True)
    control_type = UnicodeAttribute()
    is_default = BooleanAttribute()
    control = JSONAttribute()  # SetDERControl's payload without controlId
    status = UnicodeAttribute()
    status_info = UnicodeAttribute(null=True)
    superseded_ids = ListAttribute(of=UnicodeAttribute, null=True)
    updated_at = UTCDateTimeAttribute()


def put_control(known: DerControl) -> None:
    """1 write: replaces what the charge point had under this control id."""
    DerControlRecord(
        known.charge_point_id,
        known.control_id,
        control_type=known.control_type,
        is_default=known.is_default,
        control=known.control,
        status=known.status,
        status_info=known.status_info,
        superseded_ids=list(known.superseded_ids) or None,
        updated_at=known.updated_at,
    ).save()


def find_control(charge_point_id: str, control_id: str) -> DerControl | None:
    """1 read."""
    try:
        record = DerControlRecord.get(charge_point_id, control_id)
    except DerControlRecord.DoesNotExist:
        return None
    return DerControl(
        charge_point_id=record.charge_point_id,
        control_id=record.control_id,
        control_type=record.control_type,
        is_default=bool(record.is_default),
        control=record.control,
        status=record.status,
        status_info=record.status_info,
        superseded_ids=tuple(str(found) for found in record.superseded_ids or ()),
        updated_at=record.updated_at,
    )


def delete_control(charge_point_id: str, control_id: str) -> None:
    """1 write."""
    DerControlRecord(charge_point_id, control_id).delete()
