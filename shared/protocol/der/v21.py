"""DER control in OCPP 2.1. What a station reports is kept as it sent it (less customData),
sorted by its own time and keyed so that a resend is the same event."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.der import DerControl
from shared.domain.station_events import EventKind, StationEvent
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import parse_timestamp, status_text
from shared.protocol.der import DerCodec


def _as_sent(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key != "customData"}


class V21Der:
    def set_control(self, control_id: str, control: dict[str, Any]) -> Intent:
        return "SetDERControl", {**control, "controlId": control_id}

    def clear_control(self, control_id: str, is_default: bool) -> Intent:
        return "ClearDERControl", {"isDefault": is_default, "controlId": control_id}

    def control_kept(self, command: Command, response: dict[str, Any], now: datetime) -> DerControl:
        control = {key: value for key, value in command.payload.items() if key != "controlId"}
        return DerControl(
            charge_point_id=command.charge_point_id,
            control_id=str(command.payload["controlId"]),
            control_type=str(control["controlType"]),
            is_default=bool(control["isDefault"]),
            control=control,
            status=str(response["status"]),
            status_info=status_text(response.get("statusInfo")) or None,
            superseded_ids=tuple(response.get("supersededIds") or ()),
            updated_at=now,
        )

    def control_cleared(self, command: Command, response: dict[str, Any]) -> str | None:
        if response.get("status") in ("Accepted", "NotFound"):
            return str(command.payload["controlId"])
        return None

    def alarm(self, payload: dict[str, Any]) -> StationEvent:
        """Raised and ended are two events; the time, type and fault tell a resend."""
        at = parse_timestamp(payload["timestamp"], "timestamp")
        state = "ended" if payload.get("alarmEnded") else "raised"
        fault = payload.get("gridEventFault") or "-"
        sort = f"{format_timestamp(at)}#{payload['controlType']}#{fault}#{state}"
        return StationEvent(EventKind.DER_ALARM, sort, at, _as_sent(payload))

    def start_stop(self, payload: dict[str, Any]) -> StationEvent:
        at = parse_timestamp(payload["timestamp"], "timestamp")
        state = "started" if payload["started"] else "stopped"
        sort = f"{format_timestamp(at)}#{payload['controlId']}#{state}"
        return StationEvent(EventKind.DER_START_STOP, sort, at, _as_sent(payload))

    def report(self, payload: dict[str, Any], at: datetime) -> StationEvent:
        """A report carries no time of its own and may come in parts (tbc): its request id and
        the part's content tell a resend."""
        body = _as_sent(payload)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        return StationEvent(EventKind.DER_REPORT, f"{payload['requestId']:010d}#{digest}", at, body)


CODEC: DerCodec = V21Der()
