"""Reservations in OCPP 2.0.1 and 2.1: an EVSE (or any) for an id token, with a group."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.reservations import Reservation
from shared.domain.timestamps import format_timestamp
from shared.protocol.reservations import ReservationsCodec, cancel_reservation_call, reservation_answer
from shared.protocol.v2 import GROUP_TOKEN_TYPE


class V2Reservations:
    def reserve(self, reservation: Reservation) -> Intent:
        payload: dict[str, Any] = {
            "id": reservation.reservation_id,
            "expiryDateTime": format_timestamp(reservation.expires_at),
            "idToken": {"idToken": reservation.id_token, "type": reservation.id_token_type},
        }
        if reservation.evse_id is not None:
            payload["evseId"] = reservation.evse_id
        if reservation.parent_id_token is not None:
            payload["groupIdToken"] = {"idToken": reservation.parent_id_token, "type": GROUP_TOKEN_TYPE}
        return "ReserveNow", payload

    cancel_reservation = staticmethod(cancel_reservation_call)

    def reservation_update(self, payload: dict[str, Any]) -> tuple[int, str]:
        return payload["reservationId"], payload["reservationUpdateStatus"]

    def reservation_answer(self, command: Command, response: dict[str, Any]) -> tuple[int, str] | None:
        return reservation_answer(command, response, "id")


CODEC: ReservationsCodec = V2Reservations()
