"""Who a request comes from, from its Authorization header: one function that the operator API's
authorizer runs in the cloud and the local runtime runs before the API, so that both resolve a
caller alike. Its cost: none for the bootstrap token, one GetItem for an API key, a signature
check for a Cognito token (its pool's keys fetched once per process)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.aws import cognito_tokens
from shared.data import api_keys
from shared.domain.accounts import (
    BOOTSTRAP,
    DEFAULT_TENANT,
    OPERATOR_ROLES,
    Principal,
    Role,
    key_id_of,
    key_matches,
)
from shared.grants import grants
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("api-keys",),
)

# Cognito: the group that makes a user the platform admin, the prefix of a tenant's group, and
# the scope the machines client (client credentials) asks for, which is the operator role.
PLATFORM_ADMIN_GROUP = "platform-admin"
TENANT_GROUP_PREFIX = "tenant:"
MACHINE_SCOPE = "csms/operate"
MACHINE_ROLE = Role.OPERATOR
OPERATOR_ROLE_NAMES = frozenset(role.value for role in OPERATOR_ROLES)


def resolve(authorization: str | None, now: datetime) -> Principal | None:
    """The caller a `Bearer` credential names, or None (no credential, a wrong one, a revoked
    or expired key, a user in no role's group)."""
    scheme, _, credential = (authorization or "").partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        return None
    settings = get_settings()
    given = credential.encode("utf-8", "surrogateescape")  # a header may carry any byte
    if settings.api_token and hmac.compare_digest(given, settings.api_token.encode()):
        return Principal(BOOTSTRAP, "token", Role.ADMIN, None)
    api_key_id = key_id_of(credential)
    if api_key_id is not None:
        key = api_keys.find_api_key(api_key_id)
        if key is None or not key_matches(credential, key.key_hash) or not key.valid_at(now):
            return None
        return Principal(key.driver_id or key.api_key_id, "key", key.role, key.tenant_id)
    if settings.user_pool_id or settings.drivers_pool_id:
        return _of_cognito(credential)
    return None


def _of_cognito(token: str) -> Principal | None:
    """An operator of the operators' pool, or a driver of the drivers' pool (whichever issued it)."""
    settings = get_settings()
    pool = cognito_tokens.pool_of(token)
    if pool is not None and pool == settings.user_pool_id:
        claims = cognito_tokens.verified_claims(token, settings.region, pool, settings.user_pool_clients)
        return None if claims is None else of_claims(claims)
    if pool is not None and pool == settings.drivers_pool_id:
        claims = cognito_tokens.verified_claims(token, settings.region, pool, settings.drivers_pool_clients)
        return None if claims is None else of_driver_claims(claims)
    return None


def of_driver_claims(claims: Mapping[str, Any]) -> Principal | None:
    """A driver of the drivers' pool: its account is its `sub`, its tenant the attribute
    `custom:tenantId` (set at sign-up by the operator's page), else the default tenant."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        return None
    return Principal(sub, "user", Role.DRIVER, str(claims.get("custom:tenantId") or DEFAULT_TENANT))


def of_claims(claims: Mapping[str, Any]) -> Principal | None:
    """A Cognito user's role from its groups (the highest of the four), its tenant from its
    `custom:tenantId` attribute (ID tokens) or a `tenant:<id>` group, else the default tenant;
    the platform-admin group makes the platform admin. The machines client has no groups: its
    scope gives it the operator role in the default tenant."""
    groups = [group for group in claims.get("cognito:groups") or [] if isinstance(group, str)]
    name = str(claims.get("username") or claims.get("cognito:username") or claims.get("sub") or "")
    if PLATFORM_ADMIN_GROUP in groups:
        return Principal(name, "user", Role.ADMIN, None)
    roles = [Role(group) for group in groups if group in OPERATOR_ROLE_NAMES]
    tenants = [
        group.removeprefix(TENANT_GROUP_PREFIX) for group in groups if group.startswith(TENANT_GROUP_PREFIX)
    ]
    tenant = str(claims.get("custom:tenantId") or (tenants[0] if tenants else DEFAULT_TENANT))
    if roles:
        return Principal(name, "user", max(roles, key=lambda role: role.rank), tenant)
    if not groups and MACHINE_SCOPE in str(claims.get("scope") or "").split() and "username" not in claims:
        return Principal(str(claims.get("client_id") or name), "user", MACHINE_ROLE, DEFAULT_TENANT)
    return None


def as_context(principal: Principal | None) -> dict[str, str]:
    """What the authorizer hands API Gateway (strings: a simple response's context), and the
    operator API reads back with `of_context`. No principal: an empty one, answered 401."""
    if principal is None:
        return {"principal": "", "kind": "", "role": "", "tenantId": ""}
    return {
        "principal": principal.principal,
        "kind": principal.kind,
        "role": principal.role.value,
        "tenantId": principal.tenant_id or "",
    }


def of_context(context: Mapping[str, Any]) -> Principal | None:
    principal, kind, role = context.get("principal"), context.get("kind"), context.get("role")
    if not principal or kind not in ("token", "user", "key") or role not in Role._value2member_map_:
        return None
    return Principal(str(principal), kind, Role(str(role)), str(context.get("tenantId") or "") or None)
