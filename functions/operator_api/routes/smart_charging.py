"""Smart charging. /charge-points/{id}/charging-profiles and /composite-schedule: what a charge
point may draw, set and kept as resources, and the schedule it works out from them; its
charging limits. /sites: grid connections, the charge points behind each, and how each site's
limit is shared among the sessions charging there."""

from __future__ import annotations

from dataclasses import asdict
from http import HTTPStatus
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import EventPage
from functions.operator_api.models.smart_charging import (
    AllocationOut,
    CompositeOut,
    LimitIn,
    OpenAdrIn,
    PeriodOut,
    PlaceIn,
    PriceCapIn,
    ProfileIn,
    ProfileList,
    ProfileOut,
    SiteIn,
    SiteList,
    SiteOut,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import (
    RESPONSES,
    Wait,
    command_out,
    command_response,
    json_response,
    with_examples,
)
from functions.operator_api.station_events import page_of_kind
from shared.domain.accounts import Permission
from shared.domain.charging_profiles import KnownProfile
from shared.domain.grid import OpenAdrLink
from shared.domain.sites import Site
from shared.domain.station_events import EventKind
from shared.domain.timestamps import utc_now
from shared.services import commands
from shared.services.smart_charging import charging_profiles, sites

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /charge-points/<charge_point_id>/charging-profiles/<profile_id>": Permission.PROFILES,
    "GET /charge-points/<charge_point_id>/charging-limits": Permission.READ,
    "GET /charge-points/<charge_point_id>/charging-profiles": Permission.READ,
    "GET /charge-points/<charge_point_id>/composite-schedule": Permission.READ,
    "GET /sites": Permission.READ,
    "GET /sites/<site_id>": Permission.READ,
    "GET /sites/<site_id>/allocation": Permission.READ,
    "PUT /charge-points/<charge_point_id>/charging-profiles/<profile_id>": Permission.PROFILES,
    "PUT /sites/<site_id>": Permission.SITES,
}
TAGS = ["Smart charging"]
ProfileId = Annotated[int, Path(ge=0, le=2**31 - 1)]
SiteId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


def _profile_out(known: KnownProfile) -> ProfileOut:
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
        items=[_profile_out(p) for p in charging_profiles.profiles_of(charge_point_id)],
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


# --- Sites ---------------------------------------------------------------------------------


def _link_out(link: OpenAdrLink) -> OpenAdrIn:
    return OpenAdrIn(
        vtn_url=link.vtn_url,
        program_name=link.program_name,
        credentials=link.credentials,
        ven_name=link.ven_name,
        report_usage=link.report_usage,
        price_caps=[PriceCapIn(above=c.above, limit_percent=c.limit_percent) for c in link.price_caps],
    )


def _site_out(site: Site) -> SiteOut:
    return SiteOut(
        site_id=site.site_id,
        limit=LimitIn(amps=site.limit_amps, watts=site.limit_watts),
        phases=site.phases,
        voltage=site.voltage,
        min_amps_per_session=site.min_amps_per_session,
        charge_points=list(site.charge_points),
        fallback_amps=site.fallback_amps,
        station_max_amps=site.station_max_amps,
        threshold_amps=site.threshold_amps,
        openadr=None if site.openadr is None else _link_out(site.openadr),
        place=None if site.place is None else PlaceIn(**asdict(site.place)),
        updated_at=site.updated_at,
    )


@router.put(
    "/sites/<site_id>",
    summary="Create or change a site; its sessions' shares are worked out again",
    tags=TAGS,
    responses={
        200: {"description": "Changed"},
        201: {"description": "Created"},
        409: {"description": "A charge point of another site"},
    },
)
def put_site(site_id: SiteId, body: Annotated[SiteIn, Body(embed=False)]) -> Response[SiteOut]:
    fields = body.model_dump(exclude={"limit", "openadr", "place"})
    limits = {"limit_amps": body.limit.amps, "limit_watts": body.limit.watts}
    link = None if body.openadr is None else body.openadr.link()
    place = None if body.place is None else body.place.place()
    site, created = sites.put(site_id, {**fields, **limits, "openadr": link, "place": place}, utc_now())
    return json_response(HTTPStatus.CREATED if created else HTTPStatus.OK, _site_out(site))


@router.get("/sites", summary="Every site", tags=TAGS)
def list_sites() -> SiteList:
    return SiteList(items=[_site_out(s) for s in sites.all_sites()])


@router.get("/sites/<site_id>", summary="One site", tags=TAGS)
def get_site(site_id: SiteId) -> SiteOut:
    return _site_out(sites.get(site_id))


@router.get(
    "/sites/<site_id>/allocation", summary="Each charging session's current, the sum and the limit", tags=TAGS
)
def get_allocation(site_id: SiteId) -> AllocationOut:
    site, allocation, grid = sites.get_allocation(site_id)
    allocation = allocation or {}
    return AllocationOut(
        site_id=site_id,
        limit_amps=allocation.get("limitAmps", round(site.per_phase_amps, 1)),
        site_limit_amps=round(site.per_phase_amps, 1),
        grid_limit=allocation.get("gridLimit"),
        grid=grid,
        revisit_at=allocation.get("revisitAt"),
        held_back=allocation.get("heldBack", 0),
        per_phase_amps=allocation.get("perPhaseAmps") or [0.0] * site.phases,
        computed_at=allocation.get("computedAt"),
        reason=allocation.get("reason"),
        sessions=allocation.get("sessions") or [],
    )
