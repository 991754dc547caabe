"""Firmware management in OCPP 1.6: the core profile's UpdateFirmware, and the security
extension's SignedUpdateFirmware for a signed image."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.maintenance import FirmwareUpdate, Kind, MaintenanceAnswer, StatusReport
from shared.domain.station_events import StationEvent
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import maintenance_status, not_in_version, retries
from shared.protocol.firmware_management import FirmwareManagementCodec, firmware_payload


class V16FirmwareManagement:
    def update_firmware(self, update: FirmwareUpdate) -> Intent:
        """A signed image goes as the security extension's SignedUpdateFirmware."""
        if update.signed:
            return "SignedUpdateFirmware", firmware_payload(update)
        payload: dict[str, Any] = {
            "location": update.location,
            "retrieveDate": format_timestamp(update.retrieve_at),
            **retries(update.retries, update.retry_interval_s),
        }
        return "UpdateFirmware", payload

    def firmware_status(self, payload: dict[str, Any]) -> StatusReport:
        return maintenance_status(Kind.FIRMWARE, payload)

    def firmware_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        if command.action == "UpdateFirmware":  # its answer is empty: taking the call is accepting it
            return MaintenanceAnswer(Kind.FIRMWARE, None, "Accepted")
        if command.action == "SignedUpdateFirmware":
            return MaintenanceAnswer(Kind.FIRMWARE, command.payload["requestId"], response["status"])
        return None

    def publish_status(self, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        raise not_in_version("PublishFirmwareStatusNotification")


CODEC: FirmwareManagementCodec = V16FirmwareManagement()
