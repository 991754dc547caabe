"""What the console's analytics read: figures added up as sessions end and connectors fault, per
day and per month, for the fleet and for each charge point, site, model and connector (decision
0029). A range is read as its whole months plus the days at either end, so a year of a large
fleet is twelve partitions, never a scan of sessions or meter values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from shared.domain.errors import BadRequest

FLEET = "fleet"
MAX_DAYS = 366
FAULTED = "Faulted"
# Busy time counts over a session's last two weeks at most: a session held open longer is a
# station that never sent its stop, and one event must stay within one transaction's items.
MAX_BUSY = timedelta(days=14)


class Breakdown(StrEnum):
    """What a range's figures may be broken down by: each is a prefix of the members kept."""

    CHARGE_POINT = "chargePoint"
    SITE = "site"
    MODEL = "model"
    CONNECTOR = "connector"

    @property
    def prefix(self) -> str:
        return {"chargePoint": "cp#", "site": "site#", "model": "model#", "connector": "conn#"}[self.value]


@dataclass(frozen=True)
class Figures:
    """The sums kept for one member over one period."""

    energy_wh: float = 0.0
    sessions: int = 0
    busy_s: float = 0.0  # time a session held the connector
    faults: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.energy_wh + other.energy_wh,
            self.sessions + other.sessions,
            self.busy_s + other.busy_s,
            self.faults + other.faults,
        )


@dataclass(frozen=True)
class Owner:
    """What the charge point belongs to, for the members a session or fault counts towards."""

    charge_point_id: str
    site_id: str | None = None
    model: str | None = None

    def members(self, connector: str | None) -> tuple[str, ...]:
        found = [FLEET, f"cp#{self.charge_point_id}"]
        if self.site_id:
            found.append(f"site#{self.site_id}")
        if self.model:
            found.append(f"model#{self.model}")
        if connector is not None:
            found.append(f"conn#{self.charge_point_id}#{connector}")
        return tuple(found)


@dataclass(frozen=True)
class Contribution:
    """What one ended session or one fault adds, period by period (`period` is `day#...` or
    `month#...`), to each member."""

    key: str  # what makes a second delivery of the same event count nothing
    members: tuple[str, ...]
    periods: dict[str, Figures] = field(default_factory=dict)


def day_key(day: date) -> str:
    return f"day#{day.isoformat()}"


def month_key(day: date) -> str:
    return f"month#{day.year:04d}-{day.month:02d}"


def connector_label(evse_id: int | None, connector_id: int | None) -> str | None:
    if connector_id is None and evse_id is None:
        return None
    return str(connector_id) if evse_id is None else f"{evse_id}/{connector_id or 1}"


def session_contribution(
    owner: Owner,
    transaction_id: str,
    connector: str | None,
    started_at: datetime,
    stopped_at: datetime,
    energy_wh: float | None,
) -> Contribution:
    """A session's energy and its count go to the day it ended; its busy time is split over the
    days it spanned."""
    periods: dict[str, Figures] = {}
    end = stopped_at.astimezone(UTC)
    _add(periods, end.date(), Figures(energy_wh=max(energy_wh or 0.0, 0.0), sessions=1))
    start = min(max(started_at.astimezone(UTC), end - MAX_BUSY), end)
    while start < end:
        midnight = datetime.combine(start.date() + timedelta(days=1), datetime.min.time(), UTC)
        until = min(midnight, end)
        _add(periods, start.date(), Figures(busy_s=(until - start).total_seconds()))
        start = until
    return Contribution(
        f"session#{owner.charge_point_id}#{transaction_id}", owner.members(connector), periods
    )


def fault_contribution(owner: Owner, connector: str | None, at: datetime) -> Contribution:
    """A connector reporting Faulted counts once for the moment it reported it."""
    periods: dict[str, Figures] = {}
    _add(periods, at.astimezone(UTC).date(), Figures(faults=1))
    stamp = at.astimezone(UTC).isoformat()
    return Contribution(
        f"fault#{owner.charge_point_id}#{connector}#{stamp}", owner.members(connector), periods
    )


def _add(periods: dict[str, Figures], day: date, figures: Figures) -> None:
    for key in (day_key(day), month_key(day)):
        periods[key] = periods.get(key, Figures()) + figures


class BadRange(BadRequest):
    """A range the analytics do not read: reversed, or longer than a year."""


def days_of(first: date, last: date) -> list[date]:
    if last < first:
        raise BadRange("'to' is before 'from'")
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise BadRange(f"A range is at most {MAX_DAYS} days")
    return [first + timedelta(days=n) for n in range(count)]


def periods_of(first: date, last: date) -> list[str]:
    """The fewest kept periods that make up [first, last]: the whole months inside it, and the
    days of the months it only partly covers."""
    days_of(first, last)  # the same bounds as a day-by-day read
    keys: list[str] = []
    day = first
    while day <= last:
        month_start = day.replace(day=1)
        next_month = (month_start + timedelta(days=32)).replace(day=1)
        month_end = next_month - timedelta(days=1)
        if day == month_start and month_end <= last:
            keys.append(month_key(day))
            day = next_month
        else:
            keys.append(day_key(day))
            day += timedelta(days=1)
    return keys


def total(parts: Iterable[tuple[str, Figures]]) -> dict[str, Figures]:
    """Member by member, the sum of what each period held."""
    sums: dict[str, Figures] = {}
    for member, figures in parts:
        sums[member] = sums.get(member, Figures()) + figures
    return sums


def utilisation(figures: Figures, days: int) -> float:
    """The share of the range a connector was held by sessions."""
    return min(figures.busy_s / (days * 86400), 1.0) if days else 0.0


def member_name(member: str, breakdown: Breakdown) -> str:
    return member.removeprefix(breakdown.prefix)
