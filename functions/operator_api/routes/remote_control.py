"""Remote control: start and stop sessions, unlock connectors, ask for a message now."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.remote_control import RemoteStartIn, RemoteStopIn, TriggerIn, UnlockIn
from functions.operator_api.params import ChargePointId
from functions.operator_api.responses import Wait, intent_route, send_intent, with_examples
from shared.domain.accounts import Permission
from shared.protocol.remote_control import remote_control_codec

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "POST /charge-points/<charge_point_id>/remote-start": Permission.SESSIONS,
    "POST /charge-points/<charge_point_id>/remote-stop": Permission.SESSIONS,
    "POST /charge-points/<charge_point_id>/trigger": Permission.COMMANDS,
    "POST /charge-points/<charge_point_id>/unlock": Permission.COMMANDS,
}


@intent_route(
    router, "remote-start", "Start a session remotely (RemoteStartTransaction / RequestStartTransaction)"
)
def remote_start(
    charge_point_id: ChargePointId,
    body: Annotated[
        RemoteStartIn,
        with_examples(
            ("1.6: connector 1", {"idToken": "04A2B3C4D5", "connectorId": 1}),
            (
                "2.x: EVSE 1, a token from the app",
                {"idToken": "APP-USER-7", "idTokenType": "Central", "evseId": 1},
            ),
            ("Any free connector", {"idToken": "04A2B3C4D5"}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id,
        lambda profile: remote_control_codec(profile).remote_start(
            body.id_token, body.id_token_type, body.evse_id, body.connector_id
        ),
        wait,
    )


@intent_route(
    router, "remote-stop", "Stop a session remotely (RemoteStopTransaction / RequestStopTransaction)"
)
def remote_stop(
    charge_point_id: ChargePointId,
    body: Annotated[
        RemoteStopIn,
        with_examples(
            ("1.6: the integer id", {"transactionId": "1042"}),
            ("2.x: the station's id", {"transactionId": "f3c0a1e2-77d4-4b0e-9a51-3a2d6c1e0b9f"}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id, lambda profile: remote_control_codec(profile).remote_stop(body.transaction_id), wait
    )


@intent_route(router, "unlock", "Unlock a connector")
def unlock(
    charge_point_id: ChargePointId,
    body: Annotated[
        UnlockIn,
        with_examples(
            ("1.6: connector 1", {"connectorId": 1}),
            ("2.x: EVSE 2, its connector 1", {"evseId": 2, "connectorId": 1}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id,
        lambda profile: remote_control_codec(profile).unlock(body.evse_id, body.connector_id),
        wait,
    )


@intent_route(router, "trigger", "Ask for a message now (TriggerMessage)")
def trigger(
    charge_point_id: ChargePointId,
    body: Annotated[
        TriggerIn,
        with_examples(
            ("A BootNotification", {"message": "BootNotification"}),
            ("1.6: connector 1's status", {"message": "StatusNotification", "connectorId": 1}),
            (
                "2.x: a connector's status",
                {"message": "StatusNotification", "evseId": 1, "connectorId": 1},
            ),
            ("2.x: meter values of EVSE 1", {"message": "MeterValues", "evseId": 1}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id,
        lambda profile: remote_control_codec(profile).trigger(body.message, body.evse_id, body.connector_id),
        wait,
    )
