"""NotifySettlement (2.1): a payment terminal at the station settled a session; kept and
published for billing to reconcile."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.tariff_and_cost import tariff_and_cost_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifySettlement", (OcppVersion.V21,))
def notify_settlement(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = tariff_and_cost_codec(context.profile).settlement(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
