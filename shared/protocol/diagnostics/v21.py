"""Diagnostics in OCPP 2.1: 2.0.1's, and the periodic event streams a station opens on a
monitored variable, sends values on (NotifyPeriodicEventStream, a SEND: never answered) and
closes."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from shared.domain.station_events import EventKind, StationEvent
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import parse_timestamp
from shared.protocol.diagnostics import DiagnosticsCodec
from shared.protocol.diagnostics.v2 import V2Diagnostics


class V21Diagnostics(V2Diagnostics):
    def event_stream(self, payload: dict[str, Any], opened: bool, at: datetime) -> StationEvent:
        """Opening and closing a stream are an event each, told apart by the stream's id."""
        if opened:
            stream = payload["constantStreamData"]
            body = {
                "id": stream["id"],
                "opened": True,
                "variableMonitoringId": stream["variableMonitoringId"],
                "params": stream.get("params", {}),
            }
        else:
            body = {"id": payload["id"], "opened": False}
        sort = f"{body['id']:010d}#{'opened' if opened else 'closed'}"
        return StationEvent(EventKind.EVENT_STREAM, sort, at, body)

    def stream_data(self, payload: dict[str, Any]) -> StationEvent:
        """Sorted by its basetime; the values' digest tells a resend from another message of
        the same stream and basetime."""
        basetime = parse_timestamp(payload["basetime"], "basetime")
        data = payload["data"]
        digest = hashlib.sha256(json.dumps(data, separators=(",", ":")).encode()).hexdigest()[:16]
        body = {
            "id": payload["id"],
            "basetime": format_timestamp(basetime),
            "pending": payload["pending"],
            "data": data,
        }
        sort = f"{format_timestamp(basetime)}#{payload['id']:010d}#{digest}"
        return StationEvent(EventKind.STREAM_DATA, sort, basetime, body)


CODEC: DiagnosticsCodec = V21Diagnostics()
