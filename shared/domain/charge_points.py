"""What the CSMS knows of a charge point, whatever OCPP version it speaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RegistrationStatus(StrEnum):
    ACCEPTED = "Accepted"
    PENDING = "Pending"
    REJECTED = "Rejected"


@dataclass(frozen=True)
class BootInfo:
    """A BootNotification's facts about the station."""

    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    reason: str | None = None  # 2.x only: why it booted


@dataclass(frozen=True)
class ConnectorStatusReport:
    """A StatusNotification. In 1.6 a connector has no EVSE (evse_id None; connector 0 is
    the charge point itself); in 2.x it is (evse_id, connector_id). Error codes exist in 1.6
    only; 2.x reports faults through NotifyEvent."""

    evse_id: int | None
    connector_id: int
    status: str
    timestamp: datetime
    error_code: str | None = None
    info: str | None = None
    vendor_id: str | None = None
    vendor_error_code: str | None = None

    @property
    def key(self) -> str:
        """A sortable key, unique per connector of a charge point."""
        if self.evse_id is None:
            return f"{self.connector_id:04d}"
        return f"{self.evse_id:04d}.{self.connector_id:04d}"
