"""ClosePeriodicEventStream (2.1): a station closes a stream it opened; kept."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("ClosePeriodicEventStream", (OcppVersion.V21,))
def close_periodic_event_stream(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = diagnostics_codec(context.profile).event_stream(payload, False, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
