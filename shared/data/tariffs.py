"""Tariff records: a short list the operator keeps by hand, read whole."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError, PutError
from pynamodb.models import Model

from shared.data import tenancy
from shared.data.dynamo import condition_failed
from shared.data.tables import OnDemand
from shared.domain.errors import NotFound
from shared.domain.tariffs import Tariff, from_json, to_json


class TariffRecord(Model):
    """A tariff, kept in the JSON the API speaks (shared.domain.tariffs.to_json)."""

    class Meta(OnDemand, table="tariffs"): ...

    tariff_id = UnicodeAttribute(hash_key=True)
    body = JSONAttribute()
    updated_at = UTCDateTimeAttribute()
    tenant_id = UnicodeAttribute(null=True)  # absent: the default tenant's


def put_tariff(tariff: Tariff, at: datetime) -> bool:
    """1 read, 1 write. Whether the tariff is new. Ids are unique across tenants: another
    tenant's is NotFound in a tenant's scope, and the write holds to that."""
    stored: str | None
    try:
        stored = TariffRecord.get(tariff.tariff_id, attributes_to_get=["tariff_id", "tenant_id"]).tenant_id
        created = False
    except TariffRecord.DoesNotExist:
        stored, created = tenancy.scope(), True
    record = TariffRecord(tariff.tariff_id, body=to_json(tariff), updated_at=at, tenant_id=stored)
    try:
        record.save(condition=tenancy.writable(TariffRecord.tariff_id, TariffRecord.tenant_id))
    except PutError as error:
        if condition_failed(error):
            raise NotFound(f"Tariff {tariff.tariff_id}") from error
        raise
    return created


def find_tariff(tariff_id: str) -> Tariff | None:
    """1 read. In a tenant's scope, another tenant's tariff is as if it were not."""
    try:
        record = TariffRecord.get(tariff_id)
    except TariffRecord.DoesNotExist:
        return None
    return from_json(record.body) if tenancy.visible(record.tenant_id) else None


def delete_tariff(tariff_id: str) -> bool:
    """1 write. Whether there was one."""
    try:
        TariffRecord(tariff_id).delete(
            condition=tenancy.existing(TariffRecord.tariff_id, TariffRecord.tenant_id)
        )
    except DeleteError as error:
        if condition_failed(error):
            return False
        raise
    return True


def all_tariffs() -> list[Tariff]:
    """1 scan per 1 MB: tariffs are tens, not thousands (in a tenant's scope, its own)."""
    everyone = (tariff for tariffs in tariffs_by_tenant().values() for tariff in tariffs)
    return sorted(everyone, key=lambda t: t.tariff_id)


def tariffs_by_tenant() -> dict[str, list[Tariff]]:
    """Every tariff the scope sees, by its tenant, each tenant's by id (1 scan per 1 MB)."""
    found: dict[str, list[Tariff]] = {}
    for record in TariffRecord.scan(tenancy.owned(TariffRecord.tenant_id)):
        found.setdefault(tenancy.owner(record.tenant_id), []).append(from_json(record.body))
    return {tenant: sorted(tariffs, key=lambda t: t.tariff_id) for tenant, tariffs in sorted(found.items())}
