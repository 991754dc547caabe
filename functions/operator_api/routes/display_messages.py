"""/charge-points/{id}/display-messages (2.x): what a charge point shows drivers."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.display_messages import (
    DisplayMessageIn,
    DisplayMessageList,
    KnownMessageOut,
)
from functions.operator_api.params import ChargePointId
from functions.operator_api.responses import RESPONSES, Wait, command_response, with_examples
from shared.domain.accounts import Permission
from shared.domain.display_messages import DisplayMessage
from shared.domain.timestamps import utc_now
from shared.services import display_messages

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /charge-points/<charge_point_id>/display-messages/<message_id>": Permission.COMMANDS,
    "GET /charge-points/<charge_point_id>/display-messages": Permission.READ,
    "POST /charge-points/<charge_point_id>/display-messages": Permission.COMMANDS,
}
TAGS = ["Display messages"]
MessageId = Annotated[int, Path(ge=0)]


@router.post(
    "/charge-points/<charge_point_id>/display-messages",
    summary="Show drivers a message (SetDisplayMessage, 2.x); kept once accepted",
    tags=TAGS,
    responses=RESPONSES,
)
def set_display_message(
    charge_point_id: ChargePointId,
    body: Annotated[
        DisplayMessageIn,
        with_examples(
            (
                "Out of order, in front",
                {"id": 1, "content": "Out of order until 14:00", "priority": "InFront"},
            )
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    message = DisplayMessage(
        body.id,
        body.content,
        body.priority,
        body.format,
        body.language,
        body.state,
        body.start_at,
        body.end_at,
        body.transaction_id,
        body.evse_id,
    )
    return command_response(display_messages.show(charge_point_id, message, utc_now()), wait)


@router.get(
    "/charge-points/<charge_point_id>/display-messages",
    summary="The messages a charge point shows, as the CSMS knows them (refresh: GetDisplayMessages first)",
    tags=TAGS,
)
def list_display_messages(
    charge_point_id: ChargePointId,
    refresh: Annotated[
        bool, Query(description="Ask the charge point first; its answer arrives as NotifyDisplayMessages")
    ] = False,
) -> DisplayMessageList:
    if refresh:
        display_messages.ask_for_all(charge_point_id, utc_now())
    return DisplayMessageList(
        items=[
            KnownMessageOut(id=m.message_id, message=m.info, source=m.source, updated_at=m.at)
            for m in display_messages.messages_of(charge_point_id)
        ]
    )


@router.delete(
    "/charge-points/<charge_point_id>/display-messages/<message_id>",
    summary="Stop showing a message (ClearDisplayMessage, 2.x)",
    tags=TAGS,
    responses=RESPONSES,
)
def clear_display_message(
    charge_point_id: ChargePointId, message_id: MessageId, wait: Wait = None
) -> Response[CommandOut]:
    return command_response(display_messages.clear(charge_point_id, message_id, utc_now()), wait)
