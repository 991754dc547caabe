"""NotifyEVChargingSchedule (2.x, ISO 15118): the schedule the EV chose, kept."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyEVChargingSchedule", (OcppVersion.V201, OcppVersion.V21))
def notify_ev_charging_schedule(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = context.profile.adapter.station_event("NotifyEVChargingSchedule", payload, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {"status": "Accepted"}
