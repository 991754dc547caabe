"""Availability in OCPP 2.0.1 and 2.1: a connector of an EVSE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.availability import ConnectorStatusReport
from shared.domain.commands import Command, Intent
from shared.protocol.availability import AvailabilityCodec
from shared.protocol.common import parse_timestamp
from shared.protocol.v2 import evse_of


class V2Availability:
    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport:
        return ConnectorStatusReport(
            evse_id=payload["evseId"],
            connector_id=payload["connectorId"],
            status=payload["connectorStatus"],
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
        )

    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Intent:
        status = "Operative" if operative else "Inoperative"
        return "ChangeAvailability", {"operationalStatus": status, **evse_of(evse_id, connector_id)}

    def availability_asked(self, command: Command) -> dict[str, Any]:
        return {"requested": command.payload["operationalStatus"], "evse": command.payload.get("evse")}


CODEC: AvailabilityCodec = V2Availability()
