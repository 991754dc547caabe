"""/sites: grid connections, the charge points behind each, and how each site's limit is shared
among the sessions charging there."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import Field

from functions.operator_api.models import ApiModel
from functions.operator_api.responses import json_response
from shared.domain.grid import OpenAdrLink, PriceCap
from shared.domain.sites import Site
from shared.domain.timestamps import utc_now
from shared.services import sites

router = APIGatewayHttpRouter()
TAGS = ["Smart charging"]
SiteId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class LimitIn(ApiModel):
    amps: float | None = Field(None, ge=0, description="Per phase")
    watts: float | None = Field(None, ge=0, description="In all")


class PriceCapIn(ApiModel):
    above: float = Field(description="A price above this, in the program's currency per kWh...")
    limit_percent: float = Field(ge=0, le=100, description="...limits the site to this share of its limit")


class OpenAdrIn(ApiModel):
    vtn_url: str = Field(pattern=r"^https?://", description="The VTN's base URL")
    program_name: str = Field(min_length=1, max_length=128)
    credentials: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9/_+=.@-]+$",
        description="The secret csms/{credentials} holding {clientId, clientSecret}",
    )
    ven_name: str | None = Field(None, description="The client name in reports; the site's id by default")
    report_usage: bool = Field(True, description="Report the site's usage where an event asks for it")
    price_caps: list[PriceCapIn] = Field([], max_length=20)

    def link(self) -> OpenAdrLink:
        caps = tuple(PriceCap(c.above, c.limit_percent) for c in self.price_caps)
        return OpenAdrLink(
            self.vtn_url, self.program_name, self.credentials, self.ven_name, self.report_usage, caps
        )


class SiteIn(ApiModel):
    limit: LimitIn
    phases: int = Field(3, description="1 or 3")
    voltage: float = Field(230.0, gt=0, description="Phase to neutral")
    min_amps_per_session: float = Field(6.0, ge=0, description="Below this a session waits at 0")
    charge_points: list[str] = Field([], max_length=1000)
    fallback_amps: float = Field(
        6.0, ge=0, description="What a station draws before it hears from the allocator"
    )
    station_max_amps: float | None = Field(None, ge=0, description="A cap on each station")
    threshold_amps: float = Field(1.0, ge=0, description="Smaller changes of a share are not sent")
    openadr: OpenAdrIn | None = Field(None, description="The OpenADR 3 program the site follows")


class SiteOut(SiteIn):
    site_id: str
    updated_at: datetime | None


class SiteList(ApiModel):
    items: list[SiteOut]


class AllocationOut(ApiModel):
    site_id: str
    limit_amps: float = Field(description="Per phase, in force: the site's, or the grid's when lower")
    site_limit_amps: float = Field(description="The site's own, per phase")
    grid_limit: dict[str, Any] | None = Field(
        description="The grid's limit in force: watts, start, end, eventId"
    )
    grid: dict[str, Any] | None = Field(description="The VTN last heard, failures, the limits it set")
    revisit_at: datetime | None = Field(description="When a limit or a departure changes the shares")
    held_back: int = Field(description="Shares that rise once the stations have taken the lowered ones")
    per_phase_amps: list[float] = Field(description="What the shares add up to on each phase")
    computed_at: datetime | None
    reason: str | None = Field(description="The event that asked for it")
    sessions: list[dict[str, Any]] = Field(
        description="chargePointId, transactionId, evseId, phases, amps, until (the EV's departure)"
    )


def _link_out(link: OpenAdrLink) -> OpenAdrIn:
    return OpenAdrIn(
        vtn_url=link.vtn_url,
        program_name=link.program_name,
        credentials=link.credentials,
        ven_name=link.ven_name,
        report_usage=link.report_usage,
        price_caps=[PriceCapIn(above=c.above, limit_percent=c.limit_percent) for c in link.price_caps],
    )


def _out(site: Site) -> SiteOut:
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
    fields = body.model_dump(exclude={"limit", "openadr"})
    limits = {"limit_amps": body.limit.amps, "limit_watts": body.limit.watts}
    link = None if body.openadr is None else body.openadr.link()
    site, created = sites.put(site_id, {**fields, **limits, "openadr": link}, utc_now())
    return json_response(HTTPStatus.CREATED if created else HTTPStatus.OK, _out(site))


@router.get("/sites", summary="Every site", tags=TAGS)
def list_sites() -> SiteList:
    return SiteList(items=[_out(s) for s in sites.all_sites()])


@router.get("/sites/<site_id>", summary="One site", tags=TAGS)
def get_site(site_id: SiteId) -> SiteOut:
    return _out(sites.get(site_id))


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
