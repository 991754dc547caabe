"""What the grid asks of a site, through OpenADR 3: a VTN's events turned into limits in time,
and what the VEN reports back. Plain Python; shared.services.smart_charging.grid polls and applies it.

The rules (decision 0025):
- an IMPORT_CAPACITY_LIMIT interval is a limit in kW on what the site draws, from the interval's
  start to its end;
- a PRICE interval becomes a limit where the site says so (`priceCaps`: above this price, this
  share of the site's own limit);
- where intervals overlap, the lowest limit holds; the site's own limit is never exceeded;
- a limit is kept until its interval ends, so a VTN that stops answering changes nothing until
  then, and the site's own limit holds after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from shared.domain.meter_values import MeterValue
from shared.domain.timestamps import format_timestamp

CAPACITY = "IMPORT_CAPACITY_LIMIT"
PRICE = "PRICE"
USAGE = "USAGE"


@dataclass(frozen=True)
class PriceCap:
    above: float  # a price above this...
    limit_percent: float  # ...limits the site to this share of its own limit


@dataclass(frozen=True)
class OpenAdrLink:
    """A site's enrolment in a program on a VTN. The client credentials are in a secret named
    here (`{"clientId": ..., "clientSecret": ...}`), never on the site."""

    vtn_url: str
    program_name: str
    credentials: str
    ven_name: str | None = None
    report_usage: bool = True
    price_caps: tuple[PriceCap, ...] = ()


@dataclass(frozen=True)
class GridLimit:
    start: datetime
    end: datetime
    watts: float
    event_id: str
    interval_id: int
    kind: str  # CAPACITY or PRICE
    report: bool = False  # the event asks for the site's usage over this interval

    def as_json(self) -> dict[str, Any]:
        return {
            "start": format_timestamp(self.start),
            "end": format_timestamp(self.end),
            "watts": self.watts,
            "eventId": self.event_id,
            "intervalId": self.interval_id,
            "kind": self.kind,
            "report": self.report,
        }

    @classmethod
    def of_json(cls, raw: dict[str, Any]) -> GridLimit:
        return cls(
            start=_instant(raw["start"]),
            end=_instant(raw["end"]),
            watts=float(raw["watts"]),
            event_id=str(raw["eventId"]),
            interval_id=int(raw["intervalId"]),
            kind=str(raw["kind"]),
            report=bool(raw.get("report")),
        )


class BadEvent(ValueError):
    """An event the VEN cannot read; it is skipped and counted, the others still apply."""


def duration_of(text: str) -> timedelta:
    """An ISO 8601 duration as OpenADR uses them (PnDTnHnMnS, PnW); P9999Y is 'until further
    notice'."""
    if not text.startswith("P"):
        raise BadEvent(f"not a duration: {text!r}")
    if text in ("P9999Y", "P9999Y0M"):
        return timedelta(days=3650)
    date_part, _, time_part = text[1:].partition("T")
    total = timedelta()
    for part, units in ((date_part, {"W": 604800, "D": 86400}), (time_part, {"H": 3600, "M": 60, "S": 1})):
        number = ""
        for char in part:
            if char.isdigit() or char == ".":
                number += char
            elif char in units and number:
                total += timedelta(seconds=float(number) * units[char])
                number = ""
            else:
                raise BadEvent(f"not a duration OpenADR uses: {text!r}")
        if number:
            raise BadEvent(f"not a duration: {text!r}")
    return total


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadEvent(f"not a date-time: {text!r}") from None
    if moment.tzinfo is None:
        raise BadEvent(f"a date-time without its offset: {text!r}")
    return moment


def limits_of(event: dict[str, Any], link: OpenAdrLink, own_watts: float) -> list[GridLimit]:
    """The limits one OpenADR 3 event sets. An interval without its own period follows the one
    before it (or starts at the event's), each lasting the event's duration."""
    period = event.get("intervalPeriod") or {}
    units = {
        d.get("payloadType"): str(d.get("units") or "KW").upper()
        for d in event.get("payloadDescriptors") or []
    }
    reports = {d.get("payloadType") for d in event.get("reportDescriptors") or []}
    found: list[GridLimit] = []
    start = _instant(period["start"]) if period.get("start") else None
    length = duration_of(period.get("duration") or "PT1H")
    for interval in sorted(event.get("intervals") or [], key=lambda i: int(i.get("id", 0))):
        own = interval.get("intervalPeriod") or {}
        begins = _instant(own["start"]) if own.get("start") else start
        if begins is None:
            raise BadEvent(f"event {event.get('id')}: interval {interval.get('id')} has no start")
        lasts = duration_of(own["duration"]) if own.get("duration") else length
        start = begins + lasts
        for payload in interval.get("payloads") or []:
            watts = _watts(payload, units, link, own_watts)
            if watts is not None:
                found.append(
                    GridLimit(
                        begins,
                        begins + lasts,
                        watts,
                        str(event.get("id")),
                        int(interval.get("id", 0)),
                        str(payload["type"]),
                        USAGE in reports and link.report_usage,
                    )
                )
    return found


def _watts(
    payload: dict[str, Any], units: dict[Any, str], link: OpenAdrLink, own_watts: float
) -> float | None:
    kind, values = payload.get("type"), payload.get("values") or []
    if not values:
        return None
    try:
        value = float(values[0])
    except (TypeError, ValueError):
        raise BadEvent(f"a {kind} payload that is not a number: {values[0]!r}") from None
    if kind == CAPACITY:
        scale = {"W": 1.0, "KW": 1000.0, "MW": 1_000_000.0}.get(units.get(kind, "KW"))
        if scale is None:
            raise BadEvent(f"a capacity in {units.get(kind)}, not W, KW or MW")
        return max(value * scale, 0.0)
    if kind == PRICE:
        caps = [c for c in link.price_caps if value > c.above]
        if not caps:
            return None
        return own_watts * min(c.limit_percent for c in caps) / 100
    return None


def limit_in_force(limits: Iterable[GridLimit], now: datetime) -> GridLimit | None:
    """The lowest limit whose interval holds `now`."""
    current = [g for g in limits if g.start <= now < g.end]
    return min(current, key=lambda g: g.watts) if current else None


def next_edge(limits: Iterable[GridLimit], now: datetime) -> datetime | None:
    """The next moment a limit begins or ends: the allocation is worked out again then."""
    edges = [t for g in limits for t in (g.start, g.end) if t > now]
    return min(edges) if edges else None


def energy_between(readings: list[MeterValue], start: datetime, end: datetime) -> float:
    """Wh a session's register grew by between two moments, read between its readings in
    straight lines (a session that did not run then drew nothing)."""
    points = sorted((r.timestamp, wh) for r in readings if (wh := r.energy_register_wh) is not None)
    if len(points) < 2:
        return 0.0

    def at(moment: datetime) -> float:
        if moment <= points[0][0]:
            return points[0][1]
        for (t0, v0), (t1, v1) in pairwise(points):
            if moment <= t1:
                span = (t1 - t0).total_seconds()
                return v0 + (v1 - v0) * ((moment - t0).total_seconds() / span if span else 1.0)
        return points[-1][1]

    return max(at(end) - at(start), 0.0)


def usage_report(
    program_id: str, limit: GridLimit, ven_name: str, resource: str, used_wh: float
) -> dict[str, Any]:
    """An OpenADR 3 report of the site's usage over one interval of an event, in kWh."""
    kwh = round(used_wh / 1000, 3)
    return {
        "programID": program_id,
        "eventID": limit.event_id,
        "clientName": ven_name,
        "reportName": f"{resource} usage {format_timestamp(limit.start)}",
        "payloadDescriptors": [{"payloadType": USAGE, "readingType": "DIRECT_READ", "units": "KWH"}],
        "resources": [
            {
                "resourceName": resource,
                "intervalPeriod": {
                    "start": format_timestamp(limit.start),
                    "duration": f"PT{int((limit.end - limit.start).total_seconds())}S",
                },
                "intervals": [
                    {
                        "id": limit.interval_id,
                        "payloads": [{"type": USAGE, "values": [kwh]}],
                    }
                ],
            }
        ],
    }
