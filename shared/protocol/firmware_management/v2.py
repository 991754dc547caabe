"""Firmware management in OCPP 2.0.1 and 2.1."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.maintenance import FirmwareUpdate, Kind, MaintenanceAnswer, StatusReport
from shared.domain.station_events import EventKind, StationEvent
from shared.protocol.common import maintenance_status
from shared.protocol.firmware_management import FirmwareManagementCodec, firmware_payload


class V2FirmwareManagement:
    def update_firmware(self, update: FirmwareUpdate) -> Intent:
        return "UpdateFirmware", firmware_payload(update)

    def firmware_status(self, payload: dict[str, Any]) -> StatusReport:
        return maintenance_status(Kind.FIRMWARE, payload)

    def firmware_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        if command.action == "UpdateFirmware":
            return MaintenanceAnswer(Kind.FIRMWARE, command.payload["requestId"], response["status"])
        return None

    def publish_status(self, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        request_id = payload.get("requestId")
        sort = f"{request_id or 0:010d}#{payload['status']}"
        fields = ("status", "location", "requestId", "statusInfo")
        published: dict[str, Any] = {k: payload[k] for k in fields if k in payload}
        return StationEvent(EventKind.FIRMWARE_PUBLISH, sort, received_at, published)


CODEC: FirmwareManagementCodec = V2FirmwareManagement()
