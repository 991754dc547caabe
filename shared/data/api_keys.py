"""API key records: an integration's credential, kept as the SHA-256 of the key (the key itself
is shown once, when made)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from shared.data.dynamo import Page, key_names, page_of, resume_from
from shared.data.tables import OnDemand
from shared.domain.accounts import ApiKey, Role


class ApiKeyRecord(Model):
    """One key, by the id its key names (`csk_<id>_<secret>`): found with one GetItem."""

    class Meta(OnDemand, table="api-keys"): ...

    api_key_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    tenant_id = UnicodeAttribute(null=True)
    key_hash = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()
    expires_at = UTCDateTimeAttribute(null=True)
    revoked_at = UTCDateTimeAttribute(null=True)
    driver_id = UnicodeAttribute(null=True)  # a driver's key: the account it signs in to


_KEYS = key_names(ApiKeyRecord)


def put_api_key(key: ApiKey) -> None:
    """1 write, only where no key has the id (a 64-bit random id: a clash is a retry, not a loss)."""
    ApiKeyRecord(
        key.api_key_id,
        name=key.name,
        role=key.role.value,
        tenant_id=key.tenant_id,
        key_hash=key.key_hash,
        created_at=key.created_at,
        created_by=key.created_by,
        expires_at=key.expires_at,
        driver_id=key.driver_id,
    ).save(condition=ApiKeyRecord.api_key_id.does_not_exist())


def find_api_key(api_key_id: str) -> ApiKey | None:
    """1 read (strongly consistent: a revocation is seen by the next look-up)."""
    try:
        return _key(ApiKeyRecord.get(api_key_id, consistent_read=True))
    except ApiKeyRecord.DoesNotExist:
        return None


def revoke_api_key(api_key_id: str, at: datetime) -> None:
    """1 write."""
    ApiKeyRecord(api_key_id).update(actions=[ApiKeyRecord.revoked_at.set(at)])


def api_keys(tenant_id: str | None, limit: int, next_token: str | None) -> Page[ApiKey]:
    """1 scan a page (keys are few, made by hand): a tenant's, or with None every key; drivers'
    keys are their accounts' (GET /drivers), not listed here."""
    condition = ApiKeyRecord.driver_id.does_not_exist()
    if tenant_id is not None:
        condition &= ApiKeyRecord.tenant_id == tenant_id
    results = ApiKeyRecord.scan(
        condition, limit=limit, last_evaluated_key=resume_from(next_token, "api-keys", _KEYS)
    )
    return page_of(results, limit, "api-keys", _key)


def _key(record: ApiKeyRecord) -> ApiKey:
    return ApiKey(
        api_key_id=record.api_key_id,
        name=record.name,
        role=Role(record.role),
        tenant_id=record.tenant_id,
        key_hash=record.key_hash,
        created_at=record.created_at,
        created_by=record.created_by,
        expires_at=record.expires_at,
        revoked_at=record.revoked_at,
        driver_id=record.driver_id,
    )
