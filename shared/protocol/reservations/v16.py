"""Reservations in OCPP 1.6: a connector (0: any) for an idTag."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.reservations import Reservation
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import not_in_version
from shared.protocol.reservations import ReservationsCodec, cancel_reservation_call, reservation_answer


class V16Reservations:
    def reserve(self, reservation: Reservation) -> Intent:
        payload: dict[str, Any] = {
            "connectorId": reservation.connector_id or 0,
            "expiryDate": format_timestamp(reservation.expires_at),
            "idTag": reservation.id_token,
            "reservationId": reservation.reservation_id,
        }
        if reservation.parent_id_token is not None:
            payload["parentIdTag"] = reservation.parent_id_token
        return "ReserveNow", payload

    cancel_reservation = staticmethod(cancel_reservation_call)

    def reservation_update(self, payload: dict[str, Any]) -> tuple[int, str]:
        raise not_in_version("ReservationStatusUpdate")

    def reservation_answer(self, command: Command, response: dict[str, Any]) -> tuple[int, str] | None:
        return reservation_answer(command, response, "reservationId")


CODEC: ReservationsCodec = V16Reservations()
