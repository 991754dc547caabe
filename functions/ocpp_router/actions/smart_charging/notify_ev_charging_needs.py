"""NotifyEVChargingNeeds (2.x, ISO 15118): what the EV can take and needs, kept on its session;
the site's allocator then counts it."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.smart_charging import smart_charging_codec
from shared.protocol.versions import OcppVersion
from shared.services.smart_charging import sites


@handles("NotifyEVChargingNeeds", (OcppVersion.V201, OcppVersion.V21))
def notify_ev_charging_needs(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    needs = smart_charging_codec(context.profile).charging_needs(payload)
    kept = sites.charging_needs(context.charge_point_id, needs, payload["chargingNeeds"], context.received_at)
    return {"status": "Accepted" if kept else "Rejected"}
