"""NotifyPeriodicEventStream (2.1): a stream's values, sent as a SEND, which is never
answered. Telemetry: one conditional write per message, and no event on the bus."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyPeriodicEventStream", (OcppVersion.V21,))
def notify_periodic_event_stream(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = diagnostics_codec(context.profile).stream_data(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
