"""NotifyEVChargingSchedule (2.x, ISO 15118): the schedule the EV chose, kept."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.smart_charging import smart_charging_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyEVChargingSchedule", (OcppVersion.V201, OcppVersion.V21))
def notify_ev_charging_schedule(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = smart_charging_codec(context.profile).ev_charging_schedule(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {"status": "Accepted"}
