"""Availability in OCPP 1.6: a connector's status with its error code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.availability import ConnectorStatusReport
from shared.domain.commands import Command, Intent
from shared.protocol.availability import AvailabilityCodec
from shared.protocol.common import parse_timestamp


class V16Availability:
    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport:
        stamp = payload.get("timestamp")
        return ConnectorStatusReport(
            evse_id=None,
            connector_id=payload["connectorId"],
            status=payload["status"],
            timestamp=parse_timestamp(stamp, "timestamp") if stamp else received_at,
            error_code=payload["errorCode"],
            info=payload.get("info"),
            vendor_id=payload.get("vendorId"),
            vendor_error_code=payload.get("vendorErrorCode"),
        )

    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Intent:
        return "ChangeAvailability", {
            "connectorId": connector_id or 0,
            "type": "Operative" if operative else "Inoperative",
        }

    def availability_asked(self, command: Command) -> dict[str, Any]:
        return {"requested": command.payload["type"], "connectorId": command.payload["connectorId"]}


CODEC: AvailabilityCodec = V16Availability()
