"""Firmware management on the wire: firmware updates asked and reported, and 2.x's
PublishFirmwareStatusNotification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from shared.domain.maintenance import FirmwareUpdate
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import retries

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.commands import Command, Intent
    from shared.domain.maintenance import MaintenanceAnswer, StatusReport
    from shared.domain.station_events import StationEvent
    from shared.protocol.versions import Profile


class FirmwareManagementCodec(Protocol):
    def update_firmware(self, update: FirmwareUpdate) -> Intent: ...

    def firmware_status(self, payload: dict[str, Any]) -> StatusReport:
        """FirmwareStatusNotification, or the security extension's SignedFirmwareStatusNotification."""
        ...

    def firmware_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        """What an answer to a firmware update said (None for other actions)."""
        ...

    def publish_status(self, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        """2.x PublishFirmwareStatusNotification, as an event to keep."""
        ...


def firmware_management_codec(profile: Profile) -> FirmwareManagementCodec:
    return cast("FirmwareManagementCodec", profile.codec(__name__))


def firmware_payload(update: FirmwareUpdate) -> dict[str, Any]:
    """The request of a 2.x UpdateFirmware and a 1.6 SignedUpdateFirmware (the same shape)."""
    firmware: dict[str, Any] = {
        "location": update.location,
        "retrieveDateTime": format_timestamp(update.retrieve_at),
    }
    if update.install_at is not None:
        firmware["installDateTime"] = format_timestamp(update.install_at)
    if update.signed:
        firmware["signingCertificate"] = update.signing_certificate
        firmware["signature"] = update.signature
    return {
        "requestId": update.request_id,
        "firmware": firmware,
        **retries(update.retries, update.retry_interval_s),
    }
