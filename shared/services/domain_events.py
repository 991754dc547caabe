"""Domain events with their tenant: every event is published here, which adds whose it is
(`tenantId`: the tenant of the charge point it is about, else of its site; README "Domain
events"), so that an integration and the exports can tell tenants apart.

Where it comes from, cheapest first:
- a station's own messages (the router, $connect, $disconnect): the authorizer read the charge
  point's tenant with its registration, and the gateway hands it to every route of the
  connection (shared.services.station_tenant), so a message pays nothing for it;
- in a tenant's scope (the operator API): the scope's, since nothing else can be reached in it;
- otherwise (the platform's requests, schedules, reactions, uploads): 1 read of the charge
  point's (or the site's) tenant.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from shared.aws import event_bus
from shared.aws.event_bus import DomainEvent
from shared.domain.accounts import DEFAULT_TENANT
from shared.grants import grants
from shared.services.station_tenant import tenant_of_charge_point

# The bus it puts events on, and the tables it reads (shared/grants.py): whose an event is, by
# its charge point (station_tenant) or its site.
GRANTS = grants(reads=("charge-points", "sites"), bus=True)


def publish(event: DomainEvent, detail: Any) -> bool:
    """Publish one event (event_bus.publish), with its tenant. Returns whether the bus took it."""
    is_record = dataclasses.is_dataclass(detail) and not isinstance(detail, type)
    fields: dict[str, Any] = dataclasses.asdict(detail) if is_record else dict(detail)
    tenant = fields.pop("tenant_id", None) or _tenant_of(fields)
    return event_bus.publish(event, fields, tenant)


def _tenant_of(fields: dict[str, Any]) -> str:
    """An event about what carries its tenant itself (a driver's card) says it in the detail."""
    charge_point_id, site_id = fields.get("charge_point_id"), fields.get("site_id")
    if charge_point_id:
        return tenant_of_charge_point(charge_point_id)
    if not site_id:
        return DEFAULT_TENANT
    from shared.data import sites, tenancy

    return tenancy.scope() or tenancy.owner_of(sites.SiteRecord, site_id)
