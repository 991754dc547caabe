"""Domain events with their tenant: every event is published here, which adds whose it is
(`tenantId`: the tenant of the charge point it is about, else of its site; README "Domain
events"), so that an integration and the exports can tell tenants apart.

Where it comes from, cheapest first:
- a station's own messages (the router, $connect, $disconnect): the authorizer read the charge
  point's tenant with its registration, and the gateway hands it to every route of the
  connection (`from_station`), so a message pays nothing for it;
- in a tenant's scope (the operator API): the scope's, since nothing else can be reached in it;
- otherwise (the platform's requests, schedules, reactions, uploads): 1 read of the charge
  point's (or the site's) tenant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from shared.aws import event_bus
from shared.aws.event_bus import DomainEvent
from shared.domain.accounts import DEFAULT_TENANT

# The station whose message is being handled, and its tenant as its connection's context says
# (None: not said, read once when first needed).
_station: ContextVar[tuple[str, str | None] | None] = ContextVar("station", default=None)


@contextmanager
def from_station(charge_point_id: str, tenant_id: str | None) -> Iterator[None]:
    """What is done within answers this station's message. `tenant_id` None: a connection
    admitted before the authorizer said (until it reconnects, its tenant is read, once a message
    that needs it)."""
    token = _station.set((charge_point_id, tenant_id))
    try:
        yield
    finally:
        _station.reset(token)


def tenant_of_charge_point(charge_point_id: str) -> str:
    """Free for the station whose message is in hand, and in a tenant's scope; else 1 read."""
    station = _station.get()
    in_hand = station is not None and station[0] == charge_point_id
    if station is not None and in_hand and station[1]:
        return station[1]
    # Here, not above: a station's messages never need them (the router's cold start).
    from shared.data import charge_points, tenancy

    tenant = tenancy.scope() or tenancy.owner_of(charge_points.ChargePointRecord, charge_point_id)
    if in_hand:
        _station.set((charge_point_id, tenant))  # for the rest of the message
    return tenant


def publish(event: DomainEvent, detail: Any) -> bool:
    """Publish one event (event_bus.publish), with its tenant. Returns whether the bus took it."""
    is_record = dataclasses.is_dataclass(detail) and not isinstance(detail, type)
    fields: dict[str, Any] = dataclasses.asdict(detail) if is_record else dict(detail)
    return event_bus.publish(event, fields, _tenant_of(fields))


def _tenant_of(fields: dict[str, Any]) -> str:
    charge_point_id, site_id = fields.get("charge_point_id"), fields.get("site_id")
    if charge_point_id:
        return tenant_of_charge_point(charge_point_id)
    if not site_id:
        return DEFAULT_TENANT
    from shared.data import sites, tenancy

    return tenancy.scope() or tenancy.owner_of(sites.SiteRecord, site_id)
