"""Reservations on the wire: ReserveNow and CancelReservation out, 2.x's
ReservationStatusUpdate in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from shared.domain.commands import Command, Intent
    from shared.domain.reservations import Reservation
    from shared.protocol.versions import Profile


class ReservationsCodec(Protocol):
    def reserve(self, reservation: Reservation) -> Intent: ...
    def cancel_reservation(self, reservation_id: int) -> Intent: ...

    def reservation_update(self, payload: dict[str, Any]) -> tuple[int, str]:
        """2.x ReservationStatusUpdate: the reservation and what became of it."""
        ...

    def reservation_answer(self, command: Command, response: dict[str, Any]) -> tuple[int, str] | None:
        """ReserveNow or CancelReservation: the reservation, and the answer's status."""
        ...


def reservations_codec(profile: Profile) -> ReservationsCodec:
    return cast("ReservationsCodec", profile.codec(__name__))


def cancel_reservation_call(reservation_id: int) -> Intent:
    """CancelReservation, the same in every version."""
    return "CancelReservation", {"reservationId": reservation_id}


def reservation_answer(command: Command, response: dict[str, Any], id_field: str) -> tuple[int, str] | None:
    """ReserveNow (whose id is `id_field` in the version's words) or CancelReservation."""
    if command.action == "ReserveNow":
        return int(command.payload[id_field]), str(response["status"])
    if command.action == "CancelReservation":
        return int(command.payload["reservationId"]), str(response["status"])
    return None
