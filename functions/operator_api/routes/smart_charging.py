"""/charge-points/{id}/charging-profiles and /composite-schedule: what a charge point may draw,
set and kept as resources, and the schedule it works out from them."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import Field, model_validator

from functions.operator_api.maintenance_models import EventPage
from functions.operator_api.models import ApiModel, CommandOut
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import RESPONSES, Wait, command_out, command_response, with_examples
from functions.operator_api.routes.station_events import page_of_kind
from shared.domain.charging_profiles import KnownProfile
from shared.domain.station_events import EventKind
from shared.domain.timestamps import utc_now
from shared.services import charging_profiles, commands

router = APIGatewayHttpRouter()
TAGS = ["Smart charging"]
ProfileId = Annotated[int, Path(ge=0, le=2**31 - 1)]


class ProfileIn(ApiModel):
    evse_id: int | None = Field(None, ge=0, description="2.x: the EVSE (0: the whole station)")
    connector_id: int | None = Field(None, ge=0, description="1.6: the connector (0: the whole station)")
    profile: dict[str, Any] = Field(
        description="In the charge point's version's words: 1.6 csChargingProfiles, 2.x chargingProfile; "
        "checked against its schema (422 with the reason)"
    )

    @model_validator(mode="after")
    def one_place(self) -> ProfileIn:
        if self.evse_id is not None and self.connector_id is not None:
            raise ValueError("give evseId (2.x) or connectorId (1.6), not both")
        return self


class ProfileOut(ApiModel):
    profile_id: int
    evse_id: int = Field(description="0: the whole station (1.6: connector 0)")
    purpose: str
    stack_level: int
    kind: str
    transaction_id: str | None
    status: str = Field(description="Its answer to SetChargingProfile (Accepted, Rejected), or Reported")
    source: str = Field(description="set (through this API) or reported (2.x ReportChargingProfiles)")
    profile: dict[str, Any]
    updated_at: datetime


class ProfileList(ApiModel):
    items: list[ProfileOut]
    command: CommandOut | None = Field(None, description="With ?refresh=true: the GetChargingProfiles sent")


class PeriodOut(ApiModel):
    start: datetime
    limit_a: float
    limit_w: float = Field(description="At 230 V per phase")
    phases: int


class CompositeOut(ApiModel):
    status: str = Field(description="The charge point's answer, or Pending while it has not answered")
    evse_id: int
    start: datetime | None
    duration_s: int | None
    unit: str | None = Field(description="The unit the charge point gave its limits in")
    periods: list[PeriodOut]
    command: CommandOut


def _out(known: KnownProfile) -> ProfileOut:
    facts = known.facts
    return ProfileOut(
        profile_id=facts.profile_id,
        evse_id=known.evse_id,
        purpose=facts.purpose,
        stack_level=facts.stack_level,
        kind=facts.kind,
        transaction_id=facts.transaction_id,
        status=known.status,
        source=known.source,
        profile=known.profile,
        updated_at=known.updated_at,
    )


EXAMPLE_2X = {
    "evseId": 1,
    "profile": {
        "id": 7,
        "stackLevel": 1,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [
            {"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}
        ],
    },
}
EXAMPLE_16 = {
    "connectorId": 0,
    "profile": {
        "chargingProfileId": 7,
        "stackLevel": 1,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": {
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
        },
    },
}


@router.put(
    "/charge-points/<charge_point_id>/charging-profiles/<profile_id>",
    summary="Install a charging profile (SetChargingProfile); kept with the answer",
    tags=TAGS,
    responses=RESPONSES,
)
def put_profile(
    charge_point_id: ChargePointId,
    profile_id: ProfileId,
    body: Annotated[ProfileIn, with_examples(("2.x", EXAMPLE_2X), ("1.6", EXAMPLE_16))],
    wait: Wait = None,
) -> Response[CommandOut]:
    where = body.evse_id if body.evse_id is not None else body.connector_id or 0
    command = charging_profiles.install(charge_point_id, where, profile_id, body.profile, utc_now())
    return command_response(command, wait)


@router.get(
    "/charge-points/<charge_point_id>/charging-profiles",
    summary="The profiles a charge point has, as set and answered or as it reported them",
    tags=TAGS,
)
def list_profiles(
    charge_point_id: ChargePointId,
    refresh: Annotated[bool, Query(description="2.x: ask it first (GetChargingProfiles)")] = False,
) -> ProfileList:
    command = charging_profiles.ask_for_all(charge_point_id, utc_now()) if refresh else None
    return ProfileList(
        items=[_out(p) for p in charging_profiles.profiles_of(charge_point_id)],
        command=command_out(commands.view(command)) if command else None,
    )


@router.delete(
    "/charge-points/<charge_point_id>/charging-profiles/<profile_id>",
    summary="Clear a charging profile (ClearChargingProfile); forgotten once it is accepted",
    tags=TAGS,
    responses=RESPONSES,
)
def delete_profile(
    charge_point_id: ChargePointId, profile_id: ProfileId, wait: Wait = None
) -> Response[CommandOut]:
    return command_response(charging_profiles.clear(charge_point_id, profile_id, utc_now()), wait)


@router.get(
    "/charge-points/<charge_point_id>/composite-schedule",
    summary="What it will draw: GetCompositeSchedule, answered as periods in A and W",
    tags=TAGS,
    responses={200: {"description": "Answered"}, 504: {"description": "No answer in time: the command"}},
)
def composite_schedule(
    charge_point_id: ChargePointId,
    evse_id: Annotated[
        int, Query(alias="evseId", ge=0, description="0: the whole station (1.6: connector)")
    ] = 0,
    duration: Annotated[int, Query(ge=1, le=7 * 86400, description="Seconds from now")] = 3600,
    unit: Annotated[Literal["A", "W"] | None, Query(description="The unit to ask for")] = None,
    wait: Annotated[int, Query(ge=1, le=25, description="Seconds to wait for the answer")] = 10,
) -> Response[CompositeOut]:
    command, schedule = charging_profiles.composite(charge_point_id, evse_id, duration, unit, wait, utc_now())
    answered = command.response is not None
    out = CompositeOut(
        status=(command.response or {}).get("status", "Pending") if answered else command.status.value,
        evse_id=schedule.evse_id if schedule else evse_id,
        start=schedule.start if schedule else None,
        duration_s=schedule.duration_s if schedule else None,
        unit=schedule.unit if schedule else None,
        periods=[PeriodOut(**vars(p)) for p in schedule.periods] if schedule else [],
        command=command_out(commands.view(command)),
    )
    status = HTTPStatus.OK if command.status.final else HTTPStatus.GATEWAY_TIMEOUT
    return Response(status_code=int(status), content_type="application/json", body=out)


@router.get(
    "/charge-points/<charge_point_id>/charging-limits",
    summary="2.x: limits an energy manager or the grid set or lifted at the station, newest first",
    tags=TAGS,
)
def charging_limits(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.CHARGING_LIMIT, limit, next_token)
