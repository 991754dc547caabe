"""Tenant records: the customers one installation serves (the default tenant has none)."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from shared.data.dynamo import Page, condition_failed, key_names, page_of, resume_from
from shared.data.tables import OnDemand
from shared.domain.accounts import Tenant


class TenantRecord(Model):
    class Meta(OnDemand, table="tenants"): ...

    tenant_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()


_KEYS = key_names(TenantRecord)


def add_tenant(tenant: Tenant, created_by: str) -> bool:
    """1 write, only where the id is free: returns whether it was."""
    try:
        TenantRecord(
            tenant.tenant_id, name=tenant.name, created_at=tenant.created_at, created_by=created_by
        ).save(condition=TenantRecord.tenant_id.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def find_tenant(tenant_id: str) -> Tenant | None:
    """1 read."""
    try:
        return _tenant(TenantRecord.get(tenant_id))
    except TenantRecord.DoesNotExist:
        return None


def tenants(limit: int, next_token: str | None) -> Page[Tenant]:
    """1 scan a page."""
    results = TenantRecord.scan(limit=limit, last_evaluated_key=resume_from(next_token, "tenants", _KEYS))
    return page_of(results, limit, "tenants", _tenant)


def _tenant(record: TenantRecord) -> Tenant:
    return Tenant(record.tenant_id, record.name, record.created_at)
