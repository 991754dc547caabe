"""Integrations' API keys: made by admins, never above their maker's role nor outside its
tenant, shown once, revoked at once (and refused within the authorizer's cache, 60 s)."""

from __future__ import annotations

from datetime import datetime

from shared.data import api_keys
from shared.data.dynamo import Page
from shared.domain.accounts import ApiKey, Principal, Role, key_hash, new_key
from shared.domain.errors import BadRequest, Forbidden, NotFound
from shared.grants import grants
from shared.services.accounts import tenants

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("api-keys",),
    writes=("api-keys",),
)


def create(
    maker: Principal,
    name: str,
    role: Role,
    tenant_id: str | None,
    expires_at: datetime | None,
    now: datetime,
) -> tuple[ApiKey, str]:
    """The new key's record and the key itself (the one time it is seen)."""
    if role is Role.DRIVER:
        raise BadRequest("role: a driver's key comes with its account (POST /drivers)")
    if role.rank > maker.role.rank:
        raise Forbidden(f"{maker.role.value} may not make a key of role {role.value}")
    if maker.tenant_id is not None:
        if tenant_id not in (None, maker.tenant_id):
            raise Forbidden(f"A key of tenant {maker.tenant_id} may not make keys of another tenant")
        tenant_id = maker.tenant_id
    elif tenant_id is not None:
        tenants.require(tenant_id)
    if expires_at is not None and expires_at <= now:
        raise BadRequest("expiresAt: must be in the future")
    api_key_id, key = new_key()
    record = ApiKey(
        api_key_id=api_key_id,
        name=name,
        role=role,
        tenant_id=tenant_id,
        key_hash=key_hash(key),
        created_at=now,
        created_by=maker.principal,
        expires_at=expires_at,
    )
    api_keys.put_api_key(record)
    return record, key


def listing(viewer: Principal, limit: int, next_token: str | None) -> Page[ApiKey]:
    """The viewer's tenant's keys (the platform admin's: every key)."""
    return api_keys.api_keys(viewer.tenant_id, limit, next_token)


def revoke(revoker: Principal, api_key_id: str, now: datetime) -> None:
    """Another tenant's key is as unknown as one that never was."""
    key = api_keys.find_api_key(api_key_id)
    if key is None or (revoker.tenant_id is not None and key.tenant_id != revoker.tenant_id):
        raise NotFound(f"API key {api_key_id}")
    if key.revoked_at is None:
        api_keys.revoke_api_key(api_key_id, now)
