"""Availability: what a connector reports of its state, whatever the charge point's OCPP version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
