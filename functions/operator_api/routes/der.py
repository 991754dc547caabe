"""DER control (OCPP 2.1). /charge-points/{id}/der-controls/{controlId}: a station's DER
settings, sent with SetDERControl and kept with its answer, cleared with ClearDERControl;
/der-events: the alarms, starts and stops and reports of its DER functions."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import EventPage
from functions.operator_api.models.der import DerControlIn, DerControlOut
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import RESPONSES, Wait, command_response, with_examples
from functions.operator_api.station_events import page_of_kind
from shared.domain.accounts import Permission
from shared.domain.station_events import EventKind
from shared.domain.timestamps import utc_now
from shared.services import der

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /charge-points/<charge_point_id>/der-controls/<control_id>": Permission.PROFILES,
    "GET /charge-points/<charge_point_id>/der-controls/<control_id>": Permission.READ,
    "GET /charge-points/<charge_point_id>/der-events": Permission.READ,
    "PUT /charge-points/<charge_point_id>/der-controls/<control_id>": Permission.PROFILES,
}
TAGS = ["DER control"]
# DERControl ids are strings of 36 characters at most.
ControlId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9._:-]+$")]
DerKind = Literal["alarm", "start-stop", "report"]
_KINDS = {
    "alarm": EventKind.DER_ALARM,
    "start-stop": EventKind.DER_START_STOP,
    "report": EventKind.DER_REPORT,
}
EXAMPLE = {
    "isDefault": False,
    "controlType": "LimitMaxDischarge",
    "limitMaxDischarge": {"priority": 1, "pctMaxDischargePower": 50},
}


@router.put(
    "/charge-points/<charge_point_id>/der-controls/<control_id>",
    summary="2.1: set a DER control (SetDERControl); kept with the answer",
    tags=TAGS,
    responses={**RESPONSES, 422: {"description": "Not a 2.1 station, or a control its schema refuses"}},
)
def put_control(
    charge_point_id: ChargePointId,
    control_id: ControlId,
    body: Annotated[DerControlIn, with_examples(("LimitMaxDischarge", EXAMPLE))],
    wait: Wait = None,
) -> Response[CommandOut]:
    return command_response(der.set_control(charge_point_id, control_id, body.control(), utc_now()), wait)


@router.get(
    "/charge-points/<charge_point_id>/der-controls/<control_id>",
    summary="2.1: a DER control as set, with the station's answer",
    tags=TAGS,
)
def get_control(charge_point_id: ChargePointId, control_id: ControlId) -> DerControlOut:
    known = der.control_of(charge_point_id, control_id)
    return DerControlOut(
        control_id=known.control_id,
        control_type=known.control_type,
        is_default=known.is_default,
        control=known.control,
        status=known.status,
        status_info=known.status_info,
        superseded_ids=list(known.superseded_ids),
        updated_at=known.updated_at,
    )


@router.delete(
    "/charge-points/<charge_point_id>/der-controls/<control_id>",
    summary="2.1: clear a DER control (ClearDERControl); forgotten once the station no longer has it",
    tags=TAGS,
    responses=RESPONSES,
)
def delete_control(
    charge_point_id: ChargePointId, control_id: ControlId, wait: Wait = None
) -> Response[CommandOut]:
    return command_response(der.clear_control(charge_point_id, control_id, utc_now()), wait)


@router.get(
    "/charge-points/<charge_point_id>/der-events",
    summary="2.1: DER alarms, controls started and stopped, and reports of the controls held, newest first",
    tags=TAGS,
)
def der_events(
    charge_point_id: ChargePointId,
    kind: Annotated[DerKind, Query(description="Which of them")] = "alarm",
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> EventPage:
    return page_of_kind(charge_point_id, _KINDS[kind], limit, next_token)
