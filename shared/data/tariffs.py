"""Tariff records: a short list the operator keeps by hand, read whole."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError
from pynamodb.models import Model

from shared.data.dynamo import condition_failed
from shared.data.tables import OnDemand
from shared.domain.tariffs import Tariff, from_json, to_json


class TariffRecord(Model):
    """A tariff, kept in the JSON the API speaks (shared.domain.tariffs.to_json)."""

    class Meta(OnDemand, table="tariffs"): ...

    tariff_id = UnicodeAttribute(hash_key=True)
    body = JSONAttribute()
    updated_at = UTCDateTimeAttribute()


def put_tariff(tariff: Tariff, at: datetime) -> bool:
    """1 read, 1 write. Whether the tariff is new."""
    record = TariffRecord(tariff.tariff_id, body=to_json(tariff), updated_at=at)
    try:
        TariffRecord.get(tariff.tariff_id, attributes_to_get=["tariff_id"])
        created = False
    except TariffRecord.DoesNotExist:
        created = True
    record.save()
    return created


def find_tariff(tariff_id: str) -> Tariff | None:
    """1 read."""
    try:
        return from_json(TariffRecord.get(tariff_id).body)
    except TariffRecord.DoesNotExist:
        return None


def delete_tariff(tariff_id: str) -> bool:
    """1 write. Whether there was one."""
    try:
        TariffRecord(tariff_id).delete(condition=TariffRecord.tariff_id.exists())
    except DeleteError as error:
        if condition_failed(error):
            return False
        raise
    return True


def all_tariffs() -> list[Tariff]:
    """1 scan per 1 MB: tariffs are tens, not thousands."""
    return sorted((from_json(record.body) for record in TariffRecord.scan()), key=lambda t: t.tariff_id)
