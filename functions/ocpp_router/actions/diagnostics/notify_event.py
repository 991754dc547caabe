"""NotifyEvent (2.x): monitoring triggers and problems the device model reports, part by part."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyEvent", (OcppVersion.V201, OcppVersion.V21))
def notify_event(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = diagnostics_codec(context.profile).device_events(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
