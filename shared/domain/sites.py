"""Sites and load balancing: a grid connection's limit shared among the sessions charging
behind it. Plain Python; the allocator service applies what this decides.

The share (decision 0024):
- the limit is per phase, in amperes (a limit in watts is divided by voltage and phases);
- a three-phase session draws its current on every phase, a one-phase session on one, which
  is counted as phase 1 (the station's wiring is unknown, so the worst case is assumed);
- sessions are served in the order they started: each gets `minAmpsPerSession` while the
  limit allows it, and the latest wait at 0 rather than the site going over;
- what is left is shared equally (water-filling), never above what a session can take: the
  connector or the EV's maximum, or, for an EV that said when it leaves and how much energy it
  wants, the current that delivers it by then (so the others get the rest);
- a limit from the grid (shared.domain.grid) lowers the site's own while its interval lasts;
- a session's current changes only when it moves by more than the threshold, or to or from
  0, so that a busy site does not flood its stations."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.domain.grid import GridLimit, OpenAdrLink
from shared.domain.roaming import Place
from shared.domain.timestamps import format_timestamp

DEFAULT_VOLTAGE = 230.0


@dataclass(frozen=True)
class Site:
    site_id: str
    limit_amps: float | None = None
    limit_watts: float | None = None
    phases: int = 3
    voltage: float = DEFAULT_VOLTAGE
    min_amps_per_session: float = 6.0
    charge_points: tuple[str, ...] = ()
    fallback_amps: float = 6.0
    station_max_amps: float | None = None  # a cap on each station, sent as its maximum profile
    threshold_amps: float = 1.0
    openadr: OpenAdrLink | None = None
    # Where it is (address, coordinates, time zone): what roaming partners see of it.
    place: Place | None = None
    updated_at: datetime | None = None

    @property
    def per_phase_amps(self) -> float:
        if self.limit_amps is not None:
            return self.limit_amps
        assert self.limit_watts is not None
        return self.limit_watts / (self.voltage * self.phases)

    @property
    def own_watts(self) -> float:
        return self.per_phase_amps * self.voltage * self.phases

    def limit_under(self, grid: GridLimit | None) -> float:
        """Amperes per phase: the site's own limit, or the grid's where that is lower."""
        own = self.per_phase_amps
        if grid is None:
            return own
        return min(own, grid.watts / (self.voltage * self.phases))

    def problems(self) -> list[str]:
        found = []
        if (self.limit_amps is None) == (self.limit_watts is None):
            found.append("limit takes amps or watts, one of them")
        if (self.limit_amps or 0) < 0 or (self.limit_watts or 0) < 0:
            found.append("a limit cannot be negative")
        if self.phases not in (1, 3):
            found.append("phases is 1 or 3")
        if self.min_amps_per_session < 0 or self.fallback_amps < 0 or self.threshold_amps < 0:
            found.append("minAmpsPerSession, fallbackAmps and thresholdAmps cannot be negative")
        if len(set(self.charge_points)) < len(self.charge_points):
            found.append("chargePoints names a charge point twice")
        if self.openadr is not None:
            if not self.openadr.vtn_url.startswith(("https://", "http://")):
                found.append("openadr.vtnUrl is an http(s) URL")
            if any(not 0 <= c.limit_percent <= 100 for c in self.openadr.price_caps):
                found.append("openadr.priceCaps limitPercent is 0 to 100")
        if self.place is not None:
            found.extend(self.place.problems())
        return found


@dataclass(frozen=True)
class Draw:
    """A session charging on the site, as the allocator sees it."""

    charge_point_id: str
    transaction_id: str
    evse_id: int  # the connector on 1.6
    started_at: datetime
    phases: int = 3
    max_amps: float | None = None  # what the connector or the EV can take, where known
    energy_wh: float | None = None  # what the EV asked for, and by when
    departure: datetime | None = None
    needs_at: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.charge_point_id}/{self.transaction_id}"

    def leaving(self, now: datetime) -> bool:
        return self.departure is not None and self.departure > now

    def needed_amps(self, voltage: float, now: datetime) -> float | None:
        """The current that delivers the energy asked for by the departure, at an even rate
        from when the EV asked; None when it did not say, or has left already."""
        if self.energy_wh is None or not self.leaving(now):
            return None
        hours = (self.departure - (self.needs_at or now)).total_seconds() / 3600  # type: ignore[operator]
        return self.energy_wh / (max(hours, 1 / 60) * voltage * self.phases)

    def cap(self, site: Site, now: datetime) -> float | None:
        """The most this session can use: the EV's maximum, and no more than its needs ask
        (never below the site's minimum, which a charger needs to charge at all)."""
        needed = self.needed_amps(site.voltage, now)
        if needed is not None:
            needed = max(math.ceil(needed * 10) / 10, site.min_amps_per_session)
        found = [c for c in (self.max_amps, needed) if c is not None]
        return min(found) if found else None


@dataclass(frozen=True)
class ChargingNeeds:
    """What an EV said it needs (ISO 15118 through 2.x NotifyEVChargingNeeds). `max_amps` is
    per phase on the site's side: an AC EV's maximum current, or a DC EV's maximum power over
    the site's three phases at 230 V."""

    evse_id: int
    max_amps: float | None
    energy_wh: float | None
    departure: datetime | None


@dataclass(frozen=True)
class Sent:
    """What a session was last told: its current, and until when (its EV's departure)."""

    amps: float
    until: datetime | None = None


@dataclass(frozen=True)
class Share:
    draw: Draw
    amps: float
    changed: bool  # whether the station must be told
    until: datetime | None = None  # the schedule ends at the EV's departure


@dataclass(frozen=True)
class Allocation:
    site_id: str
    limit_amps: float
    shares: list[Share]
    computed_at: datetime
    reason: str
    per_phase: list[float] = field(default_factory=list)
    own_limit_amps: float | None = None
    grid: GridLimit | None = None  # the grid's limit in force, when it was lower
    revisit_at: datetime | None = None  # a limit or a departure changes then: allocate again
    held_back: int = 0  # shares that rise once the lowered ones are in force
    # The falling shares sent while others are held back: session key -> (its command's id, the
    # amps it was told before), so that a fall never taken counts as not in force.
    falling: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def total_amps(self) -> float:
        return max(self.per_phase) if self.per_phase else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "limitAmps": round(self.limit_amps, 1),
            "siteLimitAmps": None if self.own_limit_amps is None else round(self.own_limit_amps, 1),
            "gridLimit": None if self.grid is None else self.grid.as_json(),
            "perPhaseAmps": self.per_phase,
            "computedAt": self.computed_at.isoformat(),
            "revisitAt": None if self.revisit_at is None else self.revisit_at.isoformat(),
            "heldBack": self.held_back,
            "reason": self.reason,
            "sessions": [
                {
                    "chargePointId": s.draw.charge_point_id,
                    "transactionId": s.draw.transaction_id,
                    "evseId": s.draw.evse_id,
                    "phases": s.draw.phases,
                    "amps": s.amps,
                    "until": None if s.until is None else s.until.isoformat(),
                    **(
                        {"commandId": self.falling[s.draw.key][0], "was": self.falling[s.draw.key][1]}
                        if s.draw.key in self.falling
                        else {}
                    ),
                }
                for s in self.shares
            ],
        }


def load_per_phase(shares: list[tuple[Draw, float]], site_phases: int) -> list[float]:
    """Amperes on each phase: three-phase sessions on all, one-phase ones on phase 1."""
    phases = [0.0] * site_phases
    for draw, amps in shares:
        for phase in range(site_phases if draw.phases == 3 else 1):
            phases[phase] += amps
    return phases


def allocate(
    site: Site,
    draws: list[Draw],
    current: dict[str, Sent],
    now: datetime,
    reason: str,
    grid: GridLimit | None = None,
) -> Allocation:
    """Each session's current under the site's limit (lowered by the grid's, when one is in
    force); `current` is what each session was last sent."""
    limit = site.limit_under(grid)
    caps = {draw.key: draw.cap(site, now) for draw in draws}
    ordered = sorted(draws, key=lambda d: (d.started_at, d.key))
    # Phase 1 carries every session, so it binds: the share is worked out on it.
    served: list[Draw] = []
    for draw in ordered:
        cap = caps[draw.key]
        fits = (len(served) + 1) * site.min_amps_per_session <= limit
        if (cap is None or site.min_amps_per_session <= cap) and fits:
            served.append(draw)
    amps = _water_fill(served, caps, limit)
    shares: list[Share] = []
    for draw in ordered:
        wanted = round(amps.get(draw.key, 0.0), 1)
        until = draw.departure if draw.leaving(now) else None
        last = current.get(draw.key)
        cap = caps[draw.key]
        moved = (
            last is None
            or abs(wanted - last.amps) > site.threshold_amps
            or (wanted == 0) != (last.amps == 0)
            or (cap is not None and last.amps > cap)
            or 0 < last.amps < site.min_amps_per_session  # too little to charge with
            or until != last.until
        )
        # Within the threshold the session keeps what it has, unless that would go over.
        shares.append(Share(draw, wanted if moved else last.amps, moved, until))  # type: ignore[union-attr]
    per_phase = load_per_phase([(s.draw, s.amps) for s in shares], site.phases)
    if max(per_phase, default=0.0) > limit + 1e-9:  # kept currents would pass the limit: send all
        shares = [Share(s.draw, round(amps.get(s.draw.key, 0.0), 1), True, s.until) for s in shares]
        per_phase = load_per_phase([(s.draw, s.amps) for s in shares], site.phases)
    return Allocation(
        site.site_id, limit, shares, now, reason, [round(p, 1) for p in per_phase], site.per_phase_amps, grid
    )


def lowered_first(allocation: Allocation, current: dict[str, Sent], fallback_amps: float) -> Allocation:
    """The shares to send now. When some must fall, only those: the others keep what they draw
    (a new session its fallback) until the stations have taken the lower ones, so that the site
    never passes its limit between two stations' answers. Held-back shares are not `changed`,
    and the allocation says how many there are."""

    def falls(share: Share) -> bool:
        last = current.get(share.draw.key)
        return share.changed and share.amps < (fallback_amps if last is None else last.amps)

    if not any(falls(s) for s in allocation.shares):
        return allocation
    shares = []
    held = 0
    for share in allocation.shares:
        if share.changed and not falls(share):
            last = current.get(share.draw.key)
            kept = Sent(fallback_amps) if last is None else last
            shares.append(Share(share.draw, kept.amps, False, kept.until))
            held += 1
        else:
            shares.append(share)
    per_phase = load_per_phase([(s.draw, s.amps) for s in shares], len(allocation.per_phase) or 3)
    return replace(allocation, shares=shares, per_phase=[round(p, 1) for p in per_phase], held_back=held)


def _water_fill(draws: list[Draw], caps: dict[str, float | None], limit: float) -> dict[str, float]:
    """Equal shares of `limit`, each at most its cap; what a capped session leaves goes to
    the others. Rounded down to 0.1 A so the sum never passes the limit."""
    shares: dict[str, float] = {}
    open_ = list(draws)
    left = limit
    while open_:
        equal = left / len(open_)
        capped = [d for d in open_ if (cap := caps[d.key]) is not None and cap <= equal]
        if not capped:
            for d in open_:
                shares[d.key] = int(equal * 10) / 10
            break
        for d in capped:
            cap = caps[d.key]
            assert cap is not None
            shares[d.key] = cap
            left -= cap
            open_.remove(d)
    return shares


# The allocator's profiles: a stack level of their own, above what operators usually use, and
# ids of their own: one per EVSE for the sessions' shares, so that a new share replaces the
# old, and one each for the station's fallback and its cap.
ALLOCATOR_STACK_LEVEL = 8
ALLOCATOR_PROFILE_ID = 900_000
FALLBACK_PROFILE_ID = ALLOCATOR_PROFILE_ID - 1
STATION_MAX_PROFILE_ID = ALLOCATOR_PROFILE_ID - 2


class SiteProfileKind(StrEnum):
    SESSION = "session"  # TxProfile: the session's share of the site
    FALLBACK = "fallback"  # TxDefaultProfile on the whole station: what a session draws until told
    STATION_MAX = "station-max"  # the station's maximum profile


@dataclass(frozen=True)
class SiteProfile:
    kind: SiteProfileKind
    evse_id: int
    amps: float
    phases: int
    transaction_id: str | None = None
    until: datetime | None = None  # a schedule that ends then (an EV's departure)

    @property
    def profile_id(self) -> int:
        if self.kind is SiteProfileKind.SESSION:
            return ALLOCATOR_PROFILE_ID + self.evse_id
        return FALLBACK_PROFILE_ID if self.kind is SiteProfileKind.FALLBACK else STATION_MAX_PROFILE_ID

    def schedule(self, now: datetime) -> tuple[str, dict[str, Any]]:
        """The profile's kind and schedule. A session's share counts from its start (Relative)
        unless it ends at a departure; the cap is in force from now (Absolute)."""
        schedule: dict[str, Any] = {
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": self.amps, "numberPhases": self.phases}],
        }
        if self.until is None and self.kind is not SiteProfileKind.STATION_MAX:
            return "Relative", schedule
        if self.until is not None:
            schedule["duration"] = max(int((self.until - now).total_seconds()), 1)
        return "Absolute", {**schedule, "startSchedule": format_timestamp(now)}
