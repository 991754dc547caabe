"""Local list records: the entries a charge point holds in its local authorization list, as the
SendLocalList calls it accepted left them."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from shared.data.tables import OnDemand
from shared.domain.authorization import AuthorizationStatus, TokenEntry
from shared.domain.local_lists import ListUpdate, UpdateType


class LocalListEntryRecord(Model):
    """An entry of a charge point's local authorization list, as it accepted it."""

    class Meta(OnDemand, table="local-lists"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    id_token = UnicodeAttribute(range_key=True)
    status = UnicodeAttribute()
    token_type = UnicodeAttribute(null=True)
    expiry_date = UTCDateTimeAttribute(null=True)
    parent_id_token = UnicodeAttribute(null=True)
    version = NumberAttribute()  # the list version that set it
    updated_at = UTCDateTimeAttribute()


def held_by(charge_point_id: str) -> dict[str, TokenEntry]:
    """1 query per 1 MB."""
    return {
        record.id_token: TokenEntry(
            record.id_token,
            AuthorizationStatus(record.status),
            record.token_type,
            record.expiry_date,
            record.parent_id_token,
        )
        for record in LocalListEntryRecord.query(charge_point_id)
    }


def apply(charge_point_id: str, update: ListUpdate, at: datetime) -> None:
    """An accepted update: a full one replaces what is held, a differential one changes it.
    A batch write (and a query, for a full one)."""
    kept = {change.id_token for change in update.changes if change.entry is not None}
    with LocalListEntryRecord.batch_write() as batch:
        if update.update_type is UpdateType.FULL:
            for record in LocalListEntryRecord.query(charge_point_id):
                if record.id_token not in kept:
                    batch.delete(record)
        for change in update.changes:
            entry = change.entry
            if entry is None:
                batch.delete(LocalListEntryRecord(charge_point_id, change.id_token))
                continue
            batch.save(
                LocalListEntryRecord(
                    charge_point_id,
                    change.id_token,
                    status=entry.status.value,
                    token_type=entry.token_type,
                    expiry_date=entry.expiry_date,
                    parent_id_token=entry.parent_id_token,
                    version=update.version,
                    updated_at=at,
                )
            )


def delete_list_of(charge_point_id: str) -> None:
    with LocalListEntryRecord.batch_write() as batch:
        for record in LocalListEntryRecord.query(charge_point_id):
            batch.delete(record)
