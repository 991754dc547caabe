"""What every command endpoint shares: the `?wait` parameter, the answers it documents, request
examples per version, and a command as the API shows it."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated, Any, ParamSpec

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import Example
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.models.commands import CommandError, CommandOut
from shared.domain.commands import MAX_WAIT_S, Command, Intent
from shared.domain.timestamps import utc_now
from shared.protocol.versions import Profile
from shared.services import commands
from shared.services.commands import CommandView

Wait = Annotated[
    int | None,
    Query(ge=0, le=MAX_WAIT_S, description="Seconds to wait for the answer: 200 when it came, else 504"),
]
RESPONSES: dict[int, OpenAPIResponse] = {
    200: {"description": "Answered (with ?wait)"},
    202: {"description": "Stored, and sent or queued"},
    404: {"description": "Unknown charge point"},
    409: {"description": "The charge point is not connected"},
    422: {"description": "Not an action of its OCPP version, or a payload its schema refuses"},
    504: {"description": "No answer within ?wait: the command as it stands"},
}


def with_examples(*examples: tuple[str, dict[str, Any]]) -> Body:
    """A JSON body with the examples Swagger UI offers, one per version where they differ."""
    return Body(
        embed=False,
        openapi_examples={summary: Example(summary=summary, value=value) for summary, value in examples},
    )


P = ParamSpec("P")


def file_route(route: Callable[P, Response[bytes]]) -> Callable[P, Response[bytes]]:
    """A route that answers a file: its return type is left out of what Powertools sees, which
    then passes the bytes on as they are (it validates answers against the declared type, and
    would read a PDF as text)."""
    route.__annotations__.pop("return", None)
    return route


def json_response(status: HTTPStatus, body: Any) -> Response[Any]:
    """A JSON answer with a status other than 200 (201 created, 202 accepted, ...)."""
    return Response(status_code=int(status), content_type=content_types.APPLICATION_JSON, body=body)


def command_out(view: CommandView) -> CommandOut:
    command = view.command
    return CommandOut(
        command_id=command.command_id,
        charge_point_id=command.charge_point_id,
        ocpp_version=command.ocpp_version,
        action=command.action,
        payload=command.payload,
        status=command.status,
        response=command.response,
        error=CommandError.model_validate(command.error) if command.error else None,
        created_at=command.created_at,
        sent_at=command.sent_at,
        completed_at=command.completed_at,
        timeout_seconds=command.timeout_s,
        transaction_id=view.transaction_id,
    )


def command_response(command: Command, wait: int | None) -> Response[CommandOut]:
    """202 once stored; with `wait`, 200 when the answer came in time, else 504."""
    status = HTTPStatus.ACCEPTED
    if wait:
        command = commands.wait_for(command, wait)
        status = HTTPStatus.OK if command.status.final else HTTPStatus.GATEWAY_TIMEOUT
    return Response(
        status_code=int(status),
        content_type=content_types.APPLICATION_JSON,
        body=command_out(commands.view(command)),
    )


def send_intent(
    charge_point_id: str, build: Callable[[Profile], Intent], wait: int | None
) -> Response[CommandOut]:
    """An operator's intention, in the charge point's version, with the default timeout."""
    return command_response(commands.submit_intent(charge_point_id, build, None, utc_now()), wait)


def intent_route(
    router: APIGatewayHttpRouter, path: str, summary: str, tags: list[str] | None = None
) -> Callable[[Any], Any]:
    """POST /charge-points/{id}/<path>: a friendly command, documented like every command."""
    return router.post(
        f"/charge-points/<charge_point_id>/{path}",
        summary=summary,
        tags=tags or ["Commands"],
        responses=RESPONSES,
    )
