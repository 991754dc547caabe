"""Sites and load balancing: a grid connection's limit shared among the sessions charging
behind it. Plain Python; the allocator service applies what this decides.

The share (decision 0024):
- the limit is per phase, in amperes (a limit in watts is divided by voltage and phases);
- a three-phase session draws its current on every phase, a one-phase session on one, which
  is counted as phase 1 (the station's wiring is unknown, so the worst case is assumed);
- sessions are served in the order they started: each gets `minAmpsPerSession` while the
  limit allows it, and the latest wait at 0 rather than the site going over;
- what is left is shared equally (water-filling), never above what a session can take;
- a session's current changes only when it moves by more than the threshold, or to or from
  0, so that a busy site does not flood its stations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
    updated_at: datetime | None = None

    @property
    def per_phase_amps(self) -> float:
        if self.limit_amps is not None:
            return self.limit_amps
        assert self.limit_watts is not None
        return self.limit_watts / (self.voltage * self.phases)

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

    @property
    def key(self) -> str:
        return f"{self.charge_point_id}/{self.transaction_id}"


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
class Share:
    draw: Draw
    amps: float
    changed: bool  # whether the station must be told


@dataclass(frozen=True)
class Allocation:
    site_id: str
    limit_amps: float
    shares: list[Share]
    computed_at: datetime
    reason: str
    per_phase: list[float] = field(default_factory=list)

    @property
    def total_amps(self) -> float:
        return max(self.per_phase) if self.per_phase else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "limitAmps": self.limit_amps,
            "perPhaseAmps": self.per_phase,
            "computedAt": self.computed_at.isoformat(),
            "reason": self.reason,
            "sessions": [
                {
                    "chargePointId": s.draw.charge_point_id,
                    "transactionId": s.draw.transaction_id,
                    "evseId": s.draw.evse_id,
                    "phases": s.draw.phases,
                    "amps": s.amps,
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
    site: Site, draws: list[Draw], current: dict[str, float], now: datetime, reason: str
) -> Allocation:
    """Each session's current under the site's limit; `current` is what each was last sent."""
    limit = site.per_phase_amps
    ordered = sorted(draws, key=lambda d: (d.started_at, d.key))
    # Phase 1 carries every session, so it binds: the share is worked out on it.
    served: list[Draw] = []
    for draw in ordered:
        cap = draw.max_amps if draw.max_amps is not None else float("inf")
        if site.min_amps_per_session <= cap and (len(served) + 1) * site.min_amps_per_session <= limit:
            served.append(draw)
    amps = _water_fill(served, limit)
    shares: list[Share] = []
    for draw in ordered:
        wanted = round(amps.get(draw.key, 0.0), 1)
        last = current.get(draw.key)
        moved = (
            last is None
            or abs(wanted - last) > site.threshold_amps
            or (wanted == 0) != (last == 0)
            or (draw.max_amps is not None and last > draw.max_amps)
        )
        # Within the threshold the session keeps what it has, unless that would go over.
        shares.append(Share(draw, wanted if moved else last, moved))  # type: ignore[arg-type]
    per_phase = load_per_phase([(s.draw, s.amps) for s in shares], site.phases)
    if max(per_phase, default=0.0) > limit + 1e-9:  # kept currents would pass the limit: send all
        shares = [Share(s.draw, round(amps.get(s.draw.key, 0.0), 1), True) for s in shares]
        per_phase = load_per_phase([(s.draw, s.amps) for s in shares], site.phases)
    return Allocation(site.site_id, limit, shares, now, reason, [round(p, 1) for p in per_phase])


def _water_fill(draws: list[Draw], limit: float) -> dict[str, float]:
    """Equal shares of `limit`, each at most its cap; what a capped session leaves goes to
    the others. Rounded down to 0.1 A so the sum never passes the limit."""
    shares: dict[str, float] = {}
    open_ = list(draws)
    left = limit
    while open_:
        equal = left / len(open_)
        capped = [d for d in open_ if d.max_amps is not None and d.max_amps <= equal]
        if not capped:
            for d in open_:
                shares[d.key] = int(equal * 10) / 10
            break
        for d in capped:
            shares[d.key] = d.max_amps  # type: ignore[assignment]
            left -= d.max_amps  # type: ignore[operator]
            open_.remove(d)
    return shares
