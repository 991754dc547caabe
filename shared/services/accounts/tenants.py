"""The tenants an installation serves. The default tenant exists without a record: callers and
charge points of an installation that never made another belong to it."""

from __future__ import annotations

from datetime import datetime

from shared.data import tenants
from shared.data.dynamo import Page
from shared.domain.accounts import DEFAULT_TENANT, Principal, Tenant
from shared.domain.errors import BadRequest, Conflict
from shared.grants import grants

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("tenants",),
    writes=("tenants",),
)

DEFAULT = Tenant(DEFAULT_TENANT, "Default tenant", None)


def add(maker: Principal, tenant_id: str, name: str, now: datetime) -> Tenant:
    tenant = Tenant(tenant_id, name, now)
    if tenant_id == DEFAULT_TENANT or not tenants.add_tenant(tenant, maker.principal):
        raise Conflict(f"Tenant {tenant_id} exists")
    return tenant


def listing(limit: int, next_token: str | None) -> Page[Tenant]:
    """The default tenant first, then the others as the table gives them."""
    page = tenants.tenants(limit, next_token)
    return Page([DEFAULT, *page.items] if next_token is None else page.items, page.next_token)


def require(tenant_id: str) -> None:
    """A tenant a key or a record may name: the default one, or one made (1 read)."""
    if tenant_id != DEFAULT_TENANT and tenants.find_tenant(tenant_id) is None:
        raise BadRequest(f"tenantId: no tenant {tenant_id}")
