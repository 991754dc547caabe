"""Reservations: a connector (1.6) or an EVSE (2.x) held for one driver until a time. The CSMS
allocates the reservation id; the reservation's life follows what the charge point says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ReservationState(StrEnum):
    PENDING = "pending"  # sent, not answered yet
    ACTIVE = "active"  # the charge point accepted it
    USED = "used"  # a session started on it
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUSED = "refused"  # Faulted, Occupied, Rejected or Unavailable

    @property
    def open(self) -> bool:
        return self in (ReservationState.PENDING, ReservationState.ACTIVE)


@dataclass(frozen=True)
class Reservation:
    reservation_id: int
    charge_point_id: str
    id_token: str
    expires_at: datetime
    state: ReservationState
    created_at: datetime
    updated_at: datetime
    connector_id: int | None = None  # 1.6 (0: any connector of the charge point)
    evse_id: int | None = None  # 2.x (none: any EVSE)
    id_token_type: str = "ISO14443"  # 2.x
    parent_id_token: str | None = None
    answer: str | None = None  # the charge point's answer to ReserveNow
    command_id: str | None = None
    transaction_id: str | None = None  # the session that used it
    reason: str | None = None  # why it ended: an answer, ReservationStatusUpdate, the schedule
    cancel_command_id: str | None = None  # the CancelReservation sent for it, if any

    @property
    def place(self) -> str:
        """What it holds, for one open reservation at a time: an EVSE (2.x), a connector (1.6),
        or the whole station (1.6's connector 0, 2.x with no EVSE: the station keeps one free)."""
        if self.evse_id is not None:
            return f"EVSE {self.evse_id}"
        if self.connector_id:
            return f"connector {self.connector_id}"
        return "the whole station"


# What a ReservationStatusUpdate (2.x) says of a reservation.
UPDATE_STATES = {
    "Expired": ReservationState.EXPIRED,
    "Removed": ReservationState.CANCELLED,
    "NoTransaction": ReservationState.EXPIRED,  # 2.1: the driver never started
}
