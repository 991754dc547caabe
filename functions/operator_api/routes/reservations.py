"""Reservations: ReserveNow with an id the CSMS gives, kept with what became of it;
CancelReservation."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.reservations import ReservationIn, ReservationOut, ReservationPage
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import RESPONSES, command_out, json_response, with_examples
from shared.domain.accounts import Permission
from shared.domain.commands import Command
from shared.domain.reservations import Reservation
from shared.domain.timestamps import utc_now
from shared.services import commands, reservations

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /reservations/<reservation_id>": Permission.RESERVATIONS,
    "GET /charge-points/<charge_point_id>/reservations": Permission.READ,
    "GET /reservations/<reservation_id>": Permission.READ,
    "POST /charge-points/<charge_point_id>/reservations": Permission.RESERVATIONS,
}
TAGS = ["Reservations"]
ReservationId = Annotated[int, Path(ge=1)]


def _out(reservation: Reservation, command: Command | None = None) -> ReservationOut:
    return ReservationOut(
        reservation_id=reservation.reservation_id,
        charge_point_id=reservation.charge_point_id,
        state=reservation.state.value,
        id_token=reservation.id_token,
        id_token_type=reservation.id_token_type,
        connector_id=reservation.connector_id,
        evse_id=reservation.evse_id,
        parent_id_token=reservation.parent_id_token,
        expires_at=reservation.expires_at,
        answer=reservation.answer,
        transaction_id=reservation.transaction_id,
        reason=reservation.reason,
        cancel_command_id=reservation.cancel_command_id,
        created_at=reservation.created_at,
        updated_at=reservation.updated_at,
        command=command_out(commands.view(command)) if command else None,
    )


@router.post(
    "/charge-points/<charge_point_id>/reservations",
    summary="Reserve a connector (1.6) or an EVSE (2.x) for a driver (ReserveNow)",
    tags=TAGS,
    responses={
        **RESPONSES,
        201: {"description": "Stored and sent; its state follows the answer"},
        409: {"description": "Not connected, or the connector, EVSE or whole station is reserved already"},
    },
)
def reserve(
    charge_point_id: ChargePointId,
    body: Annotated[
        ReservationIn,
        with_examples(
            (
                "1.6: connector 1 for an hour",
                {"idToken": "04A2B3C4D5", "connectorId": 1, "expiresAt": "2026-12-02T18:00:00Z"},
            ),
            ("2.x: EVSE 2", {"idToken": "04A2B3C4D5", "evseId": 2, "expiresAt": "2026-12-02T18:00:00Z"}),
        ),
    ],
) -> Response[ReservationOut]:
    reservation, command = reservations.reserve(
        charge_point_id,
        body.id_token,
        body.expires_at,
        utc_now(),
        connector_id=body.connector_id,
        evse_id=body.evse_id,
        id_token_type=body.id_token_type,
        parent_id_token=body.parent_id_token,
    )
    return json_response(HTTPStatus.CREATED, _out(reservation, command))


@router.get(
    "/charge-points/<charge_point_id>/reservations",
    summary="A charge point's reservations, newest first",
    tags=TAGS,
)
def list_reservations(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> ReservationPage:
    page = reservations.reservations_of(charge_point_id, limit, next_token)
    return ReservationPage(items=[_out(r) for r in page.items], next_token=page.next_token)


@router.get("/reservations/<reservation_id>", summary="One reservation", tags=TAGS)
def get_reservation(reservation_id: ReservationId) -> ReservationOut:
    return _out(reservations.reservation_of(reservation_id))


@router.delete(
    "/reservations/<reservation_id>",
    summary="Cancel a reservation (CancelReservation); the answer makes it cancelled",
    tags=TAGS,
    responses={
        202: {"description": "Sent"},
        200: {
            "description": "Nothing sent: cancelled already, or a CancelReservation waits for its "
            "answer (in command)"
        },
        409: {"description": "Used, expired or refused, or the charge point is offline"},
    },
)
def cancel_reservation(reservation_id: ReservationId) -> Response[ReservationOut]:
    done = reservations.cancel(reservation_id, utc_now())
    status = HTTPStatus.ACCEPTED if done.sent else HTTPStatus.OK
    return json_response(status, _out(done.reservation, done.command))
