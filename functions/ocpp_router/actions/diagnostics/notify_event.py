"""NotifyEvent (2.x): monitoring triggers and problems the device model reports, part by part."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyEvent", (OcppVersion.V201, OcppVersion.V21))
def notify_event(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = context.profile.adapter.station_event("NotifyEvent", payload, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
