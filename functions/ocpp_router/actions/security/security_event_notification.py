"""SecurityEventNotification (1.6 security extension, 2.x): kept a year; critical types raise
a metric the stack alarms on."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.security import security_codec
from shared.services import station_events


@handles("SecurityEventNotification")
def security_event_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = security_codec(context.profile).security_event(payload, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
