"""Availability: make a station, an EVSE or a connector operative or inoperative."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.availability import AvailabilityIn
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.params import ChargePointId
from functions.operator_api.responses import Wait, intent_route, send_intent, with_examples
from shared.domain.accounts import Permission
from shared.protocol.availability import availability_codec

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "POST /charge-points/<charge_point_id>/availability": Permission.COMMANDS,
}


@intent_route(router, "availability", "Make the station, an EVSE or a connector operative or inoperative")
def availability(
    charge_point_id: ChargePointId,
    body: Annotated[
        AvailabilityIn,
        with_examples(
            ("The whole station out of service", {"operative": False}),
            ("1.6: connector 2 back in service", {"operative": True, "connectorId": 2}),
            ("2.x: EVSE 1 out of service", {"operative": False, "evseId": 1}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id,
        lambda profile: availability_codec(profile).availability(
            body.operative, body.evse_id, body.connector_id
        ),
        wait,
    )
