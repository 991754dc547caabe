"""Commands to charge points: any CSMS-to-charge-point action of the charge point's version
(`/commands`), the friendlier endpoints that translate to it, the answers, and what the
answers told us (`/configuration`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import Example
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.errors import ApiError, bad_request, not_found
from functions.operator_api.models import (
    AvailabilityIn,
    CommandIn,
    CommandOut,
    CommandPage,
    Configuration,
    ConfigurationChangeIn,
    ConfigurationItem,
    ConfigurationReadIn,
    RemoteStartIn,
    RemoteStopIn,
    ResetIn,
    TriggerIn,
    UnlockIn,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from shared import commanding, remote_starts
from shared.data import commands, store
from shared.data.common import BadPageToken
from shared.data.models import ChargePointRecord, CommandRecord
from shared.domain.commands import MAX_WAIT_S, CommandStatus
from shared.protocol.adapters.commands import Command, CommandBuilder
from shared.protocol.timestamps import utc_now
from shared.protocol.versions import profile_for
from shared.settings import get_settings

router = APIGatewayHttpRouter()

Wait = Annotated[
    int | None,
    Query(ge=0, le=MAX_WAIT_S, description="Seconds to wait for the answer: 200 when it came, else 504"),
]
POLL_S = 0.1
RESPONSES = {
    200: {"description": "Answered (with ?wait)"},
    202: {"description": "Stored, and sent or queued"},
    404: {"description": "Unknown charge point"},
    409: {"description": "The charge point is not connected"},
    422: {"description": "Not an action of its OCPP version, or a payload its schema refuses"},
    504: {"description": "No answer within ?wait: the command as it stands"},
}


def _body(*examples: tuple[str, dict[str, Any]]) -> Body:
    """A JSON body with the examples Swagger UI offers, one per version where they differ."""
    return Body(
        embed=False,
        openapi_examples={summary: Example(summary=summary, value=value) for summary, value in examples},
    )


def _out(record: CommandRecord) -> CommandOut:
    return CommandOut(
        command_id=record.command_id,
        charge_point_id=record.charge_point_id,
        ocpp_version=record.ocpp_version,
        action=record.action,
        payload=record.payload,
        status=CommandStatus(record.status),
        response=record.response,
        error=record.error,
        created_at=datetime.fromisoformat(record.created_at),
        sent_at=record.sent_at,
        completed_at=record.completed_at,
        timeout_seconds=int(record.timeout_s),
        transaction_id=remote_starts.session_begun_by_command(record),
    )


def _connected(charge_point_id: str) -> ChargePointRecord:
    record = store.find_charge_point(charge_point_id)
    if record is None:
        raise not_found(f"Charge point {charge_point_id}")
    if not record.connection_id or not record.ocpp_version:
        raise ApiError(
            HTTPStatus.CONFLICT, "NotConnected", f"Charge point {charge_point_id} is not connected"
        )
    return record


def _send(
    charge_point: ChargePointRecord, command: Command, timeout_s: int | None, wait: int | None
) -> Response:
    action, payload = command
    try:
        record = commanding.submit(
            charge_point, action, payload, timeout_s or get_settings().command_timeout_s, utc_now()
        )
    except commanding.CommandRefused as error:
        raise ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, "InvalidCommand", str(error)) from None
    status = HTTPStatus.ACCEPTED
    if wait:
        deadline = time.monotonic() + wait
        while True:
            record = commands.find_command(record.command_id) or record
            if CommandStatus(record.status).final:
                status = HTTPStatus.OK
                break
            if time.monotonic() >= deadline:
                status = HTTPStatus.GATEWAY_TIMEOUT
                break
            time.sleep(POLL_S)
    return Response(status_code=int(status), content_type=content_types.APPLICATION_JSON, body=_out(record))


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
    body: Annotated[
        CommandIn,
        _body(
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
    return _send(_connected(charge_point_id), (body.action, body.payload), body.timeout_seconds, wait)


@router.get("/commands/<command_id>", summary="One command and its answer", tags=["Commands"])
def get_command(command_id: Annotated[str, Path(min_length=1, max_length=36)]) -> CommandOut:
    record = commands.find_command(command_id)
    if record is None:
        raise not_found(f"Command {command_id}")
    return _out(record)


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
    try:
        page = commands.history(charge_point_id, limit, next_token)
    except BadPageToken as error:
        raise bad_request(str(error)) from None
    return CommandPage(items=[_out(record) for record in page.items], next_token=page.next_token)


@router.get(
    "/charge-points/<charge_point_id>/configuration",
    summary="Its known configuration",
    description="What GetConfiguration, GetVariables, NotifyReport and accepted changes told.",
    tags=["Configuration"],
)
def get_configuration(charge_point_id: ChargePointId) -> Configuration:
    if store.find_charge_point(charge_point_id) is None:
        raise not_found(f"Charge point {charge_point_id}")
    return Configuration(
        items=[
            ConfigurationItem(key=r.key, value=r.value, readonly=r.readonly, updated_at=r.updated_at)
            for r in commands.configuration_of(charge_point_id)
        ]
    )


def _friendly(charge_point_id: str, build: Callable[[CommandBuilder], Command], wait: int | None) -> Response:
    charge_point = _connected(charge_point_id)
    try:
        command = build(profile_for(charge_point.ocpp_version or "").commands)
    except ValueError as error:
        raise bad_request(str(error)) from None
    return _send(charge_point, command, None, wait)


def _friendly_route(path: str, summary: str, tags: list[str] | None = None) -> Callable[[Any], Any]:
    return router.post(
        f"/charge-points/<charge_point_id>/{path}",
        summary=summary,
        tags=tags or ["Commands"],
        responses=RESPONSES,
    )


@_friendly_route(
    "remote-start", "Start a session remotely (RemoteStartTransaction / RequestStartTransaction)"
)
def remote_start(
    charge_point_id: ChargePointId,
    body: Annotated[
        RemoteStartIn,
        _body(
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
    return _friendly(
        charge_point_id,
        lambda c: c.remote_start(body.id_token, body.id_token_type, body.evse_id, body.connector_id),
        wait,
    )


@_friendly_route("remote-stop", "Stop a session remotely (RemoteStopTransaction / RequestStopTransaction)")
def remote_stop(
    charge_point_id: ChargePointId,
    body: Annotated[
        RemoteStopIn,
        _body(
            ("1.6: the integer id", {"transactionId": "1042"}),
            ("2.x: the station's id", {"transactionId": "f3c0a1e2-77d4-4b0e-9a51-3a2d6c1e0b9f"}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return _friendly(charge_point_id, lambda c: c.remote_stop(body.transaction_id), wait)


@_friendly_route("reset", "Reset: Soft/Hard (1.6), OnIdle/Immediate (2.x)")
def reset(
    charge_point_id: ChargePointId,
    body: Annotated[
        ResetIn,
        _body(
            ("Soft or OnIdle", {"hard": False}),
            ("Hard or Immediate", {"hard": True}),
            ("2.x: one EVSE", {"hard": False, "evseId": 2}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return _friendly(charge_point_id, lambda c: c.reset(body.hard, body.evse_id), wait)


@_friendly_route("unlock", "Unlock a connector")
def unlock(
    charge_point_id: ChargePointId,
    body: Annotated[
        UnlockIn,
        _body(
            ("1.6: connector 1", {"connectorId": 1}),
            ("2.x: EVSE 2, its connector 1", {"evseId": 2, "connectorId": 1}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return _friendly(charge_point_id, lambda c: c.unlock(body.evse_id, body.connector_id), wait)


@_friendly_route("availability", "Make the station, an EVSE or a connector operative or inoperative")
def availability(
    charge_point_id: ChargePointId,
    body: Annotated[
        AvailabilityIn,
        _body(
            ("The whole station out of service", {"operative": False}),
            ("1.6: connector 2 back in service", {"operative": True, "connectorId": 2}),
            ("2.x: EVSE 1 out of service", {"operative": False, "evseId": 1}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return _friendly(
        charge_point_id, lambda c: c.availability(body.operative, body.evse_id, body.connector_id), wait
    )


@_friendly_route("trigger", "Ask for a message now (TriggerMessage)")
def trigger(
    charge_point_id: ChargePointId,
    body: Annotated[
        TriggerIn,
        _body(
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
    return _friendly(
        charge_point_id, lambda c: c.trigger(body.message, body.evse_id, body.connector_id), wait
    )


@_friendly_route(
    "configuration/read",
    "Read its configuration (GetConfiguration / GetVariables or GetBaseReport)",
    ["Configuration"],
)
def read_configuration(
    charge_point_id: ChargePointId,
    body: Annotated[
        ConfigurationReadIn | None,
        _body(
            ("Everything (2.x: a full base report)", {}),
            ("1.6: two keys", {"keys": ["HeartbeatInterval", "MeterValueSampleInterval"]}),
            ("2.x: Component/Variable keys", {"keys": ["OCPPCommCtrlr/HeartbeatInterval"]}),
        ),
    ] = None,
    wait: Wait = None,
) -> Response[CommandOut]:
    keys = body.keys if body else []
    return _friendly(charge_point_id, lambda c: c.read_configuration(keys), wait)


@_friendly_route(
    "configuration/change", "Change one setting (ChangeConfiguration / SetVariables)", ["Configuration"]
)
def change_configuration(
    charge_point_id: ChargePointId,
    body: Annotated[
        ConfigurationChangeIn,
        _body(
            ("1.6: a key", {"key": "HeartbeatInterval", "value": "300"}),
            ("2.x: Component/Variable", {"key": "OCPPCommCtrlr/HeartbeatInterval", "value": "300"}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return _friendly(charge_point_id, lambda c: c.change_configuration(body.key, body.value), wait)
