"""Commands to charge points: any CSMS-to-charge-point action of the charge point's version,
and each command with its answer. The friendlier endpoints sit with their blocks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import ActionsOut, CommandIn, CommandOut, CommandPage
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import RESPONSES, Wait, command_out, command_response, with_examples
from shared.domain.accounts import Permission
from shared.domain.timestamps import utc_now
from shared.services import commands

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /charge-points/<charge_point_id>/commands": Permission.READ,
    "GET /commands/<command_id>": Permission.READ,
    "GET /ocpp-versions/<version>/actions": Permission.READ,
    "GET /ocpp-versions/<version>/actions/<action>": Permission.READ,
    "POST /charge-points/<charge_point_id>/commands": Permission.COMMANDS,
}
Version = Annotated[Literal["1.6", "2.0", "2.0.1", "2.1"], Path(description="The OCPP version")]


@router.post(
    "/charge-points/<charge_point_id>/commands",
    summary="Send any CSMS-to-charge-point OCPP call",
    description="Validated against the charge point's OCPP version before it is stored and sent. One call is "
    "outstanding per charge point; later ones queue in order.",
    tags=["Commands"],
    responses=RESPONSES,
)
def send_command(
    charge_point_id: ChargePointId,
    request: Annotated[
        CommandIn,
        with_examples(
            ("1.6: Reset", {"action": "Reset", "payload": {"type": "Soft"}}),
            (
                "2.x: GetVariables, the heartbeat interval",
                {
                    "action": "GetVariables",
                    "payload": {
                        "getVariableData": [
                            {
                                "component": {"name": "OCPPCommCtrlr"},
                                "variable": {"name": "HeartbeatInterval"},
                            }
                        ]
                    },
                    "timeoutSeconds": 60,
                },
            ),
            (
                "DataTransfer: any vendor's message",
                {"action": "DataTransfer", "payload": {"vendorId": "com.example"}},
            ),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    command = commands.submit(
        charge_point_id, request.action, request.payload, request.timeout_seconds, utc_now()
    )
    return command_response(command, wait)


@router.get("/commands/<command_id>", summary="One command and its answer", tags=["Commands"])
def get_command(command_id: Annotated[str, Path(min_length=1, max_length=36)]) -> CommandOut:
    return command_out(commands.find(command_id))


@router.get(
    "/charge-points/<charge_point_id>/commands",
    summary="A charge point's commands, newest first",
    tags=["Commands"],
)
def list_commands(
    charge_point_id: ChargePointId,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> CommandPage:
    page = commands.history(charge_point_id, limit, next_token)
    return CommandPage(items=[command_out(view) for view in page.items], next_token=page.next_token)


@router.get(
    "/ocpp-versions/<version>/actions",
    summary="The calls a CSMS sends in this OCPP version (1.6, 2.0, 2.0.1, 2.1)",
    tags=["Commands"],
)
def version_actions(version: Version) -> ActionsOut:
    return ActionsOut(version=version, actions=commands.actions_of(version))


@router.get(
    "/ocpp-versions/<version>/actions/<action>",
    summary="One call's payload schema (JSON Schema, from the OCPP specification)",
    tags=["Commands"],
)
def action_schema(
    version: Version, action: Annotated[str, Path(min_length=1, max_length=64)]
) -> dict[str, Any]:
    return commands.request_schema(version, action)
