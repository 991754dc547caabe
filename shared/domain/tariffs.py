"""Tariffs and what a session costs under one. The model follows OCPI 2.2.1's tariff elements
(price components per dimension, restrictions by time of day and weekday), so tariffs can be
exported to roaming partners as they are. Plain Python; amounts are Decimals.

How a session is priced (docs/decisions/0023-tariffs-priced-from-the-meter.md):
- the session is cut where anything that changes the price changes: a meter reading, a change
  of charging state, the edge of a time window in the tariff's time zone;
- each piece is charging time (energy flowed, or the station said Charging) or idle time;
- for each dimension the first element whose restrictions hold at the piece's start and
  that prices the dimension applies (OCPI's rule); restricted windows may not overlap, and
  an element without restrictions can only come last (the fallback);
- idle time is free for the grace period, counted from the first idle minute on;
- the flat fee is the one in force when the session started;
- the minimum and maximum bound the price before tax; tax is the VAT rate on that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.domain.currencies import is_currency

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
MINUTES_A_DAY = 24 * 60
CENT = Decimal("0.01")
HOUR_S = Decimal(3600)
KWH = Decimal(1000)


class Dimension(StrEnum):
    """OCPI 2.2.1 TariffDimensionType: per kWh, per hour charging, per hour idle, per session."""

    ENERGY = "ENERGY"
    TIME = "TIME"
    PARKING_TIME = "PARKING_TIME"
    FLAT = "FLAT"


class Flag(StrEnum):
    """What the cost could not know, said rather than guessed."""

    ENERGY_UNKNOWN = "energyUnknown"  # no register at one end: energy is not priced
    ENERGY_SPREAD = "energySpreadEvenly"  # no reading inside the session: energy spread over it
    IN_PROGRESS = "inProgress"  # the cost so far


@dataclass(frozen=True)
class PriceComponent:
    type: Dimension
    price: Decimal  # before tax: per kWh, per hour, or per session


@dataclass(frozen=True)
class Restrictions:
    """When an element applies: between two local times (end excluded; an end before the start
    runs past midnight) and on some weekdays (none: every day)."""

    start_time: time | None = None
    end_time: time | None = None
    days_of_week: frozenset[str] = frozenset()

    def holds(self, local: datetime) -> bool:
        if self.days_of_week and WEEKDAYS[local.weekday()] not in self.days_of_week:
            return False
        return self._minute_in_window(local.hour * 60 + local.minute, local.second, local.microsecond)

    def _minute_in_window(self, minute: int, second: int = 0, micro: int = 0) -> bool:
        if self.start_time is None and self.end_time is None:
            return True
        start = _minutes(self.start_time) if self.start_time else 0
        end = _minutes(self.end_time) if self.end_time else MINUTES_A_DAY
        if start == end:
            return True
        if start < end:
            return start <= minute < end
        return minute >= start or minute < end

    def week_minutes(self) -> set[int]:
        """The minutes of a week (Monday 00:00 = 0) it covers, for telling overlaps."""
        days = [d for d, name in enumerate(WEEKDAYS) if not self.days_of_week or name in self.days_of_week]
        return {
            d * MINUTES_A_DAY + m for d in days for m in range(MINUTES_A_DAY) if self._minute_in_window(m)
        }

    def described(self, start: str, end: str, days: str, day: Callable[[str], str] = str) -> dict[str, Any]:
        """In another model's words: its names for the two times and the weekdays, and for a day."""
        found: dict[str, Any] = {}
        if self.start_time is not None:
            found[start] = self.start_time.strftime("%H:%M")
        if self.end_time is not None:
            found[end] = self.end_time.strftime("%H:%M")
        if self.days_of_week:
            found[days] = [day(d) for d in WEEKDAYS if d in self.days_of_week]
        return found

    def edges(self) -> list[time]:
        return [t for t in (self.start_time, self.end_time) if t is not None]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class TariffElement:
    price_components: tuple[PriceComponent, ...]
    restrictions: Restrictions | None = None

    def price_of(self, dimension: Dimension) -> Decimal | None:
        return next((c.price for c in self.price_components if c.type is dimension), None)


@dataclass(frozen=True)
class Assignment:
    """Where a tariff applies. The most specific wins: an id-token group, then a charge point,
    then a site, then the default."""

    charge_points: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    id_token_groups: frozenset[str] = frozenset()
    default: bool = False


@dataclass(frozen=True)
class TariffText:
    language: str
    text: str


@dataclass(frozen=True)
class Tariff:
    tariff_id: str
    currency: str
    elements: tuple[TariffElement, ...]
    vat_percent: Decimal = Decimal(0)
    idle_grace_minutes: int = 0
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    time_zone: str = "UTC"
    texts: tuple[TariffText, ...] = ()
    assigned: Assignment = field(default_factory=Assignment)
    updated_at: datetime | None = None

    def problems(self) -> list[str]:
        """Why the tariff cannot be used, in words an operator can act on; empty when it can."""
        found: list[str] = []
        if not self.elements:
            found.append("a tariff needs at least one element")
        if not is_currency(self.currency):
            found.append(f"currency {self.currency!r} is not an ISO 4217 currency code")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            found.append(f"timeZone {self.time_zone!r} is not an IANA time zone")
        for i, element in enumerate(self.elements):
            if not element.price_components:
                found.append(f"elements[{i}] has no price component")
            kinds = [c.type for c in element.price_components]
            if len(set(kinds)) < len(kinds):
                found.append(f"elements[{i}] prices a dimension twice")
            found += [
                f"elements[{i}] has a negative {c.type.value} price"
                for c in element.price_components
                if c.price < 0
            ]
            if element.restrictions is None and i != len(self.elements) - 1:
                found.append(f"elements[{i}] has no restrictions, so it must be the last (the fallback)")
        restricted = [(i, e.restrictions) for i, e in enumerate(self.elements) if e.restrictions is not None]
        covered = [(i, r.week_minutes()) for i, r in restricted]
        for a, (i, mine) in enumerate(covered):
            for j, theirs in covered[a + 1 :]:
                if mine & theirs:
                    found.append(f"elements[{i}] and elements[{j}] overlap in time")
        if self.vat_percent < 0 or self.vat_percent > 100:
            found.append("vatRate is a percentage between 0 and 100")
        if self.idle_grace_minutes < 0:
            found.append("idleGraceMinutes cannot be negative")
        for name, value in (("minPrice", self.min_price), ("maxPrice", self.max_price)):
            if value is not None and value < 0:
                found.append(f"{name} cannot be negative")
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            found.append("minPrice is above maxPrice")
        return found

    def element_for(self, dimension: Dimension, local: datetime) -> TariffElement | None:
        for element in self.elements:
            if element.price_of(dimension) is not None and (
                element.restrictions is None or element.restrictions.holds(local)
            ):
                return element
        return None

    def text_for(self, language: str | None = None) -> TariffText | None:
        matching = [t for t in self.texts if language and t.language == language] or list(self.texts)
        return matching[0] if matching else None


def most_specific(
    tariffs: Iterable[Tariff], charge_point_id: str, site_id: str | None, group: str | None
) -> Tariff | None:
    """The tariff a session here, of a driver in this group, is priced by."""
    ranked: list[tuple[int, str, Tariff]] = []
    for tariff in tariffs:
        a = tariff.assigned
        for rank, holds in enumerate(
            (
                group is not None and group in a.id_token_groups,
                charge_point_id in a.charge_points,
                site_id is not None and site_id in a.sites,
                a.default,
            )
        ):
            if holds:
                ranked.append((rank, tariff.tariff_id, tariff))
                break
    return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else None


# --- What a session did, and its cost -----------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """A session as pricing sees it: its times, its energy register readings and, where the
    station says so (2.x), when it was charging."""

    started_at: datetime
    ended_at: datetime
    readings: tuple[tuple[datetime, float], ...]  # (time, register Wh), in time order
    meter_start_wh: float | None = None
    meter_stop_wh: float | None = None
    charging_states: tuple[tuple[datetime, bool], ...] = ()  # (from, charging?)
    in_progress: bool = False


def planned_usage(started_at: datetime, ended_at: datetime, energy_wh: float, idle_s: int = 0) -> Usage:
    """A session that has not happened, as pricing sees one that has: `energy_wh` delivered
    evenly until `idle_s` before its end, then idle (a tariff's preview)."""
    charged_until = max(started_at, ended_at - timedelta(seconds=idle_s))
    return Usage(
        started_at=started_at,
        ended_at=ended_at,
        readings=((started_at, 0.0), (charged_until, energy_wh), (ended_at, energy_wh)),
        meter_start_wh=0.0,
        meter_stop_wh=energy_wh,
    )


@dataclass(frozen=True)
class Cost:
    """A session's price, before rounding, and how it adds up."""

    currency: str
    tariff_id: str
    energy_wh: Decimal
    charging_s: Decimal
    idle_s: Decimal
    energy: Decimal
    time: Decimal
    idle: Decimal
    fee: Decimal
    vat_percent: Decimal
    flags: tuple[Flag, ...] = ()

    @property
    def before_bounds(self) -> Decimal:
        return self.energy + self.time + self.idle + self.fee

    def rounded(self, min_price: Decimal | None, max_price: Decimal | None) -> Breakdown:
        """In currency units of 2 decimals; the parts add up to the totals exactly."""
        parts = [_cents(v) for v in (self.energy, self.time, self.idle, self.fee)]
        subtotal = sum(parts, Decimal(0))
        bounded = subtotal
        if min_price is not None and bounded < min_price:
            bounded = _cents(min_price)
        if max_price is not None and bounded > max_price:
            bounded = _cents(max_price)
        tax = _cents(bounded * self.vat_percent / 100)
        return Breakdown(
            currency=self.currency,
            tariff_id=self.tariff_id,
            energy_wh=float(self.energy_wh),
            charging_seconds=int(self.charging_s),
            idle_seconds=int(self.idle_s),
            energy=parts[0],
            time=parts[1],
            idle=parts[2],
            fee=parts[3],
            adjustment=bounded - subtotal,
            total_excl_vat=bounded,
            vat_percent=self.vat_percent,
            tax=tax,
            total_incl_vat=bounded + tax,
            flags=[f.value for f in self.flags],
        )


@dataclass(frozen=True)
class Breakdown:
    currency: str
    tariff_id: str
    energy_wh: float
    charging_seconds: int
    idle_seconds: int
    energy: Decimal
    time: Decimal
    idle: Decimal
    fee: Decimal
    adjustment: Decimal  # what the minimum or maximum price added or took off
    total_excl_vat: Decimal
    vat_percent: Decimal
    tax: Decimal
    total_incl_vat: Decimal
    flags: list[str]


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def price(tariff: Tariff, usage: Usage) -> Breakdown:
    cost = cost_of(tariff, usage)
    return cost.rounded(tariff.min_price, tariff.max_price)


def cost_of(tariff: Tariff, usage: Usage) -> Cost:
    """The exact cost of what the session did under the tariff (see the module's docstring)."""
    zone = ZoneInfo(tariff.time_zone)
    start, end = usage.started_at, max(usage.ended_at, usage.started_at)
    flags: list[Flag] = [Flag.IN_PROGRESS] if usage.in_progress else []
    curve = _energy_curve(usage, start, end)
    if curve is None:
        flags.append(Flag.ENERGY_UNKNOWN)
    elif curve[-1][1] > curve[0][1] and not any(start < at < end for at, _ in usage.readings):
        flags.append(Flag.ENERGY_SPREAD)
    cuts = {start, end}
    cuts.update(at for at, _ in usage.readings if start < at < end)
    cuts.update(at for at, _ in usage.charging_states if start < at < end)
    cuts.update(_window_edges(tariff, zone, start, end))
    points = sorted(cuts)
    energy_wh = charging_s = idle_s = Decimal(0)
    # Quantity times price, summed exactly; divided once at the end, so that an amount of
    # exactly half a cent rounds as it should rather than as 28 digits of 1/3600 add up.
    wh_price = charging_price_s = idle_price_s = Decimal(0)
    grace_left = Decimal(tariff.idle_grace_minutes * 60)
    for a, b in pairwise(points):
        seconds = Decimal(str((b - a).total_seconds()))
        delivered = _delivered(curve, a, b) if curve else Decimal(0)
        local = a.astimezone(zone)
        charging = _charging(usage, curve, a, b, delivered)
        energy_wh += delivered
        element = tariff.element_for(Dimension.ENERGY, local)
        if element is not None and delivered:
            wh_price += delivered * (element.price_of(Dimension.ENERGY) or 0)
        if charging:
            charging_s += seconds
            element = tariff.element_for(Dimension.TIME, local)
            if element is not None:
                charging_price_s += seconds * (element.price_of(Dimension.TIME) or 0)
        else:
            idle_s += seconds
            billable = max(seconds - grace_left, Decimal(0))
            grace_left = max(grace_left - seconds, Decimal(0))
            element = tariff.element_for(Dimension.PARKING_TIME, local)
            if element is not None and billable:
                idle_price_s += billable * (element.price_of(Dimension.PARKING_TIME) or 0)
    fee_element = tariff.element_for(Dimension.FLAT, start.astimezone(zone))
    fee = fee_element.price_of(Dimension.FLAT) or Decimal(0) if fee_element else Decimal(0)
    return Cost(
        currency=tariff.currency,
        tariff_id=tariff.tariff_id,
        energy_wh=energy_wh,
        charging_s=charging_s,
        idle_s=idle_s,
        energy=wh_price / KWH,
        time=charging_price_s / HOUR_S,
        idle=idle_price_s / HOUR_S,
        fee=fee,
        vat_percent=tariff.vat_percent,
        flags=tuple(flags),
    )


Curve = Sequence[tuple[datetime, Decimal]]


def _energy_curve(usage: Usage, start: datetime, end: datetime) -> Curve | None:
    """The register over the session: the start and stop registers where known, the readings
    between, never going back. None when one end is unknown."""
    inside = [(at, wh) for at, wh in usage.readings if start <= at <= end]
    first = usage.meter_start_wh if usage.meter_start_wh is not None else (inside[0][1] if inside else None)
    last = usage.meter_stop_wh if usage.meter_stop_wh is not None else (inside[-1][1] if inside else None)
    if first is None or last is None:
        return None
    points = [(start, Decimal(str(first)))]
    for at, wh in inside:
        if start < at < end:
            points.append((at, max(Decimal(str(wh)), points[-1][1])))
    points.append((end, max(Decimal(str(last)), points[-1][1])))
    return points


def _register_at(curve: Curve, at: datetime) -> Decimal:
    """Linear between readings."""
    for (t0, e0), (t1, e1) in pairwise(curve):
        if t0 <= at <= t1:
            if t1 == t0:
                return e1
            # Multiplied before divided, so whole minutes at whole rates stay exact.
            part, whole = (Decimal(str((at - t0).total_seconds())), Decimal(str((t1 - t0).total_seconds())))
            return e0 + (e1 - e0) * part / whole
    return curve[-1][1] if at >= curve[-1][0] else curve[0][1]


def _delivered(curve: Curve, a: datetime, b: datetime) -> Decimal:
    return _register_at(curve, b) - _register_at(curve, a)


def _charging(usage: Usage, curve: Curve | None, a: datetime, b: datetime, delivered: Decimal) -> bool:
    """What the station said at `a` where it says (2.x), else whether energy flowed."""
    said = [charging for at, charging in usage.charging_states if at <= a]
    if said:
        return said[-1]
    if usage.charging_states:  # before its first word: as the first word says
        return usage.charging_states[0][1]
    return delivered > 0 or curve is None


def _window_edges(tariff: Tariff, zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """Every instant in (start, end) where a restriction can begin or stop holding: its times of
    day and every local midnight (for weekdays)."""
    edges = sorted({t for e in tariff.elements if e.restrictions for t in e.restrictions.edges()} | {time(0)})
    if all(e.restrictions is None for e in tariff.elements):
        return []
    found: list[datetime] = []
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        for t in edges:
            at = datetime.combine(day, t, tzinfo=zone).astimezone(UTC)
            if start < at < end:
                found.append(at)
        day += timedelta(days=1)
    return found


# --- In JSON: the API's words, also how tariffs are stored -------------------------------


def to_json(tariff: Tariff) -> dict[str, Any]:
    a = tariff.assigned
    return {
        "tariffId": tariff.tariff_id,
        "currency": tariff.currency,
        "vatRate": str(tariff.vat_percent),
        "timeZone": tariff.time_zone,
        "idleGraceMinutes": tariff.idle_grace_minutes,
        "minPrice": None if tariff.min_price is None else str(tariff.min_price),
        "maxPrice": None if tariff.max_price is None else str(tariff.max_price),
        "elements": [
            {
                "priceComponents": [
                    {"type": c.type.value, "price": str(c.price)} for c in e.price_components
                ],
                **(
                    {"restrictions": e.restrictions.described("startTime", "endTime", "daysOfWeek")}
                    if e.restrictions is not None
                    else {}
                ),
            }
            for e in tariff.elements
        ],
        "text": [{"language": t.language, "text": t.text} for t in tariff.texts],
        "assignedTo": {
            "chargePoints": sorted(a.charge_points),
            "sites": sorted(a.sites),
            "idTokenGroups": sorted(a.id_token_groups),
            "default": a.default,
        },
        "updatedAt": None if tariff.updated_at is None else tariff.updated_at.isoformat(),
    }


def from_json(data: dict[str, Any]) -> Tariff:
    """A tariff from its JSON; raises ValueError with the reason when a value cannot be read."""

    def clock(value: str | None, name: str) -> time | None:
        if value is None:
            return None
        try:
            hours, minutes = value.split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            raise ValueError(f"{name} must be HH:MM, got {value!r}") from None

    def restrictions(r: dict[str, Any] | None, i: int) -> Restrictions | None:
        if r is None:
            return None
        days = frozenset(d.upper() for d in r.get("daysOfWeek") or ())
        unknown = days - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"elements[{i}].restrictions.daysOfWeek: {sorted(unknown)} are not weekdays")
        found = Restrictions(
            clock(r.get("startTime"), f"elements[{i}].restrictions.startTime"),
            clock(r.get("endTime"), f"elements[{i}].restrictions.endTime"),
            days,
        )
        return None if found == Restrictions() else found

    a = data.get("assignedTo") or {}
    updated = data.get("updatedAt")
    return Tariff(
        tariff_id=data["tariffId"],
        currency=data["currency"],
        vat_percent=Decimal(str(data.get("vatRate") or 0)),
        time_zone=data.get("timeZone") or "UTC",
        idle_grace_minutes=int(data.get("idleGraceMinutes") or 0),
        min_price=None if data.get("minPrice") is None else Decimal(str(data["minPrice"])),
        max_price=None if data.get("maxPrice") is None else Decimal(str(data["maxPrice"])),
        elements=tuple(
            TariffElement(
                tuple(
                    PriceComponent(Dimension(c["type"]), Decimal(str(c["price"])))
                    for c in e.get("priceComponents") or ()
                ),
                restrictions(e.get("restrictions"), i),
            )
            for i, e in enumerate(data.get("elements") or ())
        ),
        texts=tuple(TariffText(t["language"], t["text"]) for t in data.get("text") or ()),
        assigned=Assignment(
            frozenset(a.get("chargePoints") or ()),
            frozenset(a.get("sites") or ()),
            frozenset(a.get("idTokenGroups") or ()),
            bool(a.get("default")),
        ),
        updated_at=None if updated is None else datetime.fromisoformat(updated),
    )


def breakdown_json(breakdown: Breakdown) -> dict[str, Any]:
    """In camelCase, money as numbers of 2 decimals (exact in JSON's shortest form)."""
    out: dict[str, Any] = {}
    for name, value in vars(breakdown).items():
        first, *rest = name.split("_")
        key = first + "".join(part.capitalize() for part in rest)
        out[key] = float(value) if isinstance(value, Decimal) else value
    return out
