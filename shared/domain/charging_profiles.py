"""Charging profiles: what a charge point was told it may draw (SetChargingProfile) or says it
has (2.x ReportChargingProfiles), and its composite schedule in one shape whatever the
version: periods with their start, the limit in A and in W, and the phases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

# What turns amperes into watts and back when a schedule gives one of them: a 230 V
# phase-to-neutral supply, and three phases unless the period says otherwise.
NOMINAL_VOLTAGE = 230.0
DEFAULT_PHASES = 3


@dataclass(frozen=True)
class ProfileFacts:
    """What the CSMS reads of a profile in the version's words."""

    profile_id: int
    purpose: str
    stack_level: int
    kind: str
    transaction_id: str | None = None
    peak_amps: float | None = None  # the highest limit of any period, in A per phase
    problems: tuple[str, ...] = ()  # the rules of OCPP's it breaks (schema aside)


def problems_of(
    schedules: list[dict[str, Any]], valid_from: str | None, valid_to: str | None
) -> tuple[str, ...]:
    """What OCPP says of a profile beyond its schema, in the shapes every version shares: each
    schedule's periods start at 0, in order, each once; a limit is not negative; a period is on
    1 to 3 phases; the profile is valid for some time. A station refuses (or misreads) the rest."""
    found = []
    for n, schedule in enumerate(schedules):
        periods = schedule.get("chargingSchedulePeriod") or []
        starts = [p.get("startPeriod") for p in periods]
        if not periods:
            found.append(f"schedule {n} has no periods")
        elif starts[0] != 0:
            found.append(f"schedule {n}'s first period starts at {starts[0]}, not 0")
        if any(b <= a for a, b in pairwise(starts)):
            found.append(f"schedule {n}'s periods do not start in order, each at its own time")
        for period in periods:
            limit, phases = period.get("limit"), period.get("numberPhases")
            if isinstance(limit, int | float | Decimal) and limit < 0:
                found.append(f"schedule {n} has a negative limit ({limit})")
            if phases is not None and not 1 <= phases <= 3:
                found.append(f"schedule {n} has a period on {phases} phases (1 to 3)")
    if valid_from and valid_to and valid_from >= valid_to:
        found.append(f"validFrom {valid_from} is not before validTo {valid_to}")
    return tuple(found)


def peak_amps(schedules: list[dict[str, Any]]) -> float | None:
    """The highest limit a profile's schedules give, in amperes per phase (a limit in watts
    over the period's phases at the nominal voltage)."""
    found = [
        float(p["limit"])
        if s.get("chargingRateUnit") == "A"
        else float(p["limit"]) / (NOMINAL_VOLTAGE * int(p.get("numberPhases") or DEFAULT_PHASES))
        for s in schedules
        for p in s.get("chargingSchedulePeriod") or []
        if isinstance(p.get("limit"), int | float | Decimal)  # 2.1 may give a setpoint instead
    ]
    return max(found) if found else None


@dataclass(frozen=True)
class KnownProfile:
    """A profile a charge point has, as the CSMS knows it: set (with the answer it got) or
    reported by the charge point. `evse_id` 0 is the whole station (1.6 connector 0)."""

    charge_point_id: str
    evse_id: int
    facts: ProfileFacts
    profile: dict[str, Any]  # the version's words, as sent or reported
    status: str  # the answer (Accepted, Rejected) or "Reported"
    source: str  # set | reported
    updated_at: datetime


def clash(evse_id: int, facts: ProfileFacts, known: list[KnownProfile]) -> KnownProfile | None:
    """A profile the charge point has on the same EVSE, of the same purpose and stack level but
    another id: a station would replace it or refuse the new one, so the operator is told."""
    for other in known:
        if (
            other.status in ("Accepted", "Reported")
            and other.evse_id == evse_id
            and other.facts.purpose == facts.purpose
            and other.facts.stack_level == facts.stack_level
            and other.facts.profile_id != facts.profile_id
        ):
            return other
    return None


@dataclass(frozen=True)
class SchedulePeriod:
    start: datetime
    limit_a: float
    limit_w: float
    phases: int


@dataclass(frozen=True)
class CompositeSchedule:
    evse_id: int
    start: datetime
    duration_s: int | None
    unit: str  # A or W, as the charge point gave it
    periods: list[SchedulePeriod]


def periods_of(start: datetime, unit: str, raw: list[dict[str, Any]]) -> list[SchedulePeriod]:
    """The version's chargingSchedulePeriod (startPeriod seconds, limit, numberPhases) as
    periods with their own start time and the limit in both units."""
    found = []
    for period in sorted(raw, key=lambda p: p["startPeriod"]):
        phases = int(period.get("numberPhases") or DEFAULT_PHASES)
        limit = float(period["limit"])
        amps = limit if unit == "A" else limit / (NOMINAL_VOLTAGE * phases)
        found.append(
            SchedulePeriod(
                start=start + timedelta(seconds=int(period["startPeriod"])),
                limit_a=round(amps, 3),
                limit_w=round(amps * NOMINAL_VOLTAGE * phases, 1),
                phases=phases,
            )
        )
    return found
