"""OpenPeriodicEventStream (2.1): a station opens a stream of a monitored variable's values;
kept, and accepted."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("OpenPeriodicEventStream", (OcppVersion.V21,))
def open_periodic_event_stream(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = diagnostics_codec(context.profile).event_stream(payload, True, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {"status": "Accepted"}
