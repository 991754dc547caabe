"""Tariffs (OCPI 2.2.1's elements, with where and for whom they apply) and CDRs."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, PlainSerializer

from functions.operator_api.models.common import ApiModel, ChargePointRef, UtcTime
from functions.operator_api.models.transactions import CostOut
from shared.domain.tariffs import WEEKDAYS

# Read exactly (a string or a number), answered as a JSON number.
Money = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
Weekday = Literal[WEEKDAYS]  # type: ignore[valid-type]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["07:00"])]
# The highest price a component, a minimum or a maximum may state, in the currency's units: far
# above any real tariff in any currency, and low enough that a session's cost stays exact.
MAX_PRICE = Decimal(1_000_000)


class PriceComponentIn(ApiModel):
    type: Literal["ENERGY", "TIME", "PARKING_TIME", "FLAT"] = Field(
        description="ENERGY per kWh, TIME per hour charging, PARKING_TIME per hour idle, FLAT per session"
    )
    price: Money = Field(le=MAX_PRICE, decimal_places=6, description="Before tax")


class RestrictionsIn(ApiModel):
    start_time: Clock | None = Field(None, description="Local time it starts applying")
    end_time: Clock | None = Field(None, description="Local time it stops (before the start: next day)")
    days_of_week: list[Weekday] | None = Field(None, description="None: every day")


class TariffElementIn(ApiModel):
    price_components: list[PriceComponentIn] = Field(max_length=4)
    restrictions: RestrictionsIn | None = Field(None, description="None: the fallback, which comes last")


class TariffTextIn(ApiModel):
    language: str = Field(min_length=2, max_length=8, examples=["en"])
    text: str = Field(min_length=1, max_length=512, examples=["0.35 EUR/kWh, 6 EUR/h idle after 30 min"])


class AssignmentIn(ApiModel):
    charge_points: list[ChargePointRef] = Field([], max_length=1000)
    sites: list[str] = Field([], max_length=1000)
    id_token_groups: list[str] = Field([], max_length=1000, description="The list's parentIdToken values")
    default: bool = Field(False, description="Everywhere nothing more specific applies")


class TariffIn(ApiModel):
    """OCPI 2.2.1's tariff elements, with what an operator sets around them."""

    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["EUR"], description="An active ISO 4217 code")
    vat_rate: Money = Field(
        Decimal(0), ge=0, le=100, decimal_places=4, description="Percent, added to the price"
    )
    time_zone: str = Field("UTC", description="Of the restrictions' times", examples=["Europe/Paris"])
    idle_grace_minutes: int = Field(
        0, ge=0, le=24 * 60, description="Idle time that is free before PARKING_TIME is charged"
    )
    min_price: Money | None = Field(None, ge=0, le=MAX_PRICE, decimal_places=6, description="Before tax")
    max_price: Money | None = Field(None, ge=0, le=MAX_PRICE, decimal_places=6, description="Before tax")
    elements: list[TariffElementIn] = Field(max_length=50)
    text: list[TariffTextIn] = Field([], max_length=10, description="For drivers, on displays")
    assigned_to: AssignmentIn = Field(default_factory=AssignmentIn)


class TariffOut(TariffIn):
    tariff_id: str
    updated_at: datetime | None


class TariffList(ApiModel):
    items: list[TariffOut]


class DefaultTariffIn(ApiModel):
    tariff_id: str = Field(min_length=1, max_length=36)
    evse_id: int = Field(0, ge=0, description="0: every EVSE")


class CdrPage(ApiModel):
    items: list[dict[str, Any]] = Field(description="OCPI 2.2.1 CDR objects")
    next_token: str | None = None


class PreviewIn(ApiModel):
    """A session's figures: its energy and either its length (starting now, or at `start`) or
    its start and end."""

    energy_wh: float = Field(ge=0, le=10_000_000, description="Delivered over the session")
    duration_minutes: int | None = Field(None, ge=1, le=7 * 24 * 60, description="Or start and end")
    start: UtcTime | None = Field(
        None, description="Default: now (local times of day follow the tariff's zone)"
    )
    end: UtcTime | None = Field(None, description="With start, in place of durationMinutes")
    idle_minutes: int = Field(
        0, ge=0, le=7 * 24 * 60, description="Of the session, at its end, plugged in and not charging"
    )


class PreviewOut(ApiModel):
    started_at: datetime
    ended_at: datetime
    cost: CostOut
