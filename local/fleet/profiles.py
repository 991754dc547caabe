"""The charging profiles a simulated station holds, and the power they let a connector draw:
the station-wide maximum caps everything; on a connector, a transaction profile beats a default
one, and the highest stack level wins within a purpose. Profiles come as the `ocpp` package
hands them over (snake_case), of either generation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

VOLTAGE = 230.0
PHASES = 3
STATION_MAX = ("ChargePointMaxProfile", "ChargingStationMaxProfile")
SESSION = ("TxProfile", "TxDefaultProfile")  # in order of precedence


@dataclass(frozen=True)
class Held:
    connector: int  # 0: the whole station
    profile: dict[str, Any]

    @property
    def profile_id(self) -> int:
        return int(self.profile.get("charging_profile_id", self.profile.get("id", 0)))

    @property
    def purpose(self) -> str:
        return str(self.profile["charging_profile_purpose"])

    @property
    def stack_level(self) -> int:
        return int(self.profile["stack_level"])

    def schedule(self) -> dict[str, Any]:
        schedule = self.profile["charging_schedule"]
        return schedule[0] if isinstance(schedule, list) else schedule

    def limit_w(self, since: datetime, now: datetime) -> float | None:
        """The limit of the period in force now, in watts (None once a finite schedule ended)."""
        schedule = self.schedule()
        start = schedule.get("start_schedule")
        begins = datetime.fromisoformat(start.replace("Z", "+00:00")) if start else since
        elapsed = (now - begins).total_seconds()
        duration = schedule.get("duration")
        if duration is not None and elapsed > duration:
            return None
        periods = sorted(schedule["charging_schedule_period"], key=lambda p: p["start_period"])
        current = [p for p in periods if p["start_period"] <= max(elapsed, 0)] or periods[:1]
        period = current[-1]
        limit = float(period["limit"])
        if schedule["charging_rate_unit"] == "W":
            return limit
        return limit * VOLTAGE * int(period.get("number_phases") or PHASES)


def limit_w(held: list[Held], connector: int, since: datetime, now: datetime | None = None) -> float | None:
    """The most a connector may draw now under the profiles held; None: nothing limits it."""
    now = now or datetime.now(UTC)
    limits: list[float] = []
    station = [h for h in held if h.purpose in STATION_MAX]
    if station:
        top = max(station, key=lambda h: h.stack_level).limit_w(since, now)
        if top is not None:
            limits.append(top)
    for purpose in SESSION:
        mine = [h for h in held if h.purpose == purpose and h.connector in (0, connector)]
        if mine:
            top = max(mine, key=lambda h: (h.stack_level, h.connector)).limit_w(since, now)
            if top is not None:
                limits.append(top)
                break
    return min(limits) if limits else None
