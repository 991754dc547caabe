"""Charging profiles and composite schedules, and sites: their limits, the OpenADR program
they follow, and how each site's limit is shared."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, model_validator

from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import ApiModel, ChargePointRef
from shared.domain.grid import OpenAdrLink, PriceCap
from shared.domain.roaming import Place


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


class PlaceIn(ApiModel):
    """Where a site is: roaming partners see it as an OCPI location (docs/roaming.md)."""

    name: str | None = Field(None, max_length=255)
    address: str = Field(min_length=1, max_length=45, description="Street and number")
    city: str = Field(min_length=1, max_length=45)
    postal_code: str | None = Field(None, max_length=10)
    country: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3")
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    time_zone: str = Field(min_length=1, max_length=64, description="IANA, such as Europe/Amsterdam")

    def place(self) -> Place:
        return Place(**self.model_dump())


class SiteIn(ApiModel):
    limit: LimitIn
    phases: int = Field(3, description="1 or 3")
    voltage: float = Field(230.0, gt=0, description="Phase to neutral")
    min_amps_per_session: float = Field(6.0, ge=0, description="Below this a session waits at 0")
    charge_points: list[ChargePointRef] = Field([], max_length=1000)
    fallback_amps: float = Field(
        6.0, ge=0, description="What a station draws before it hears from the allocator"
    )
    station_max_amps: float | None = Field(None, ge=0, description="A cap on each station")
    threshold_amps: float = Field(1.0, ge=0, description="Smaller changes of a share are not sent")
    openadr: OpenAdrIn | None = Field(None, description="The OpenADR 3 program the site follows")
    place: PlaceIn | None = Field(None, description="Where it is; without it, no roaming partner sees it")


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
