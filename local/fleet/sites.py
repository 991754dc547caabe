"""Stations behind grid connections: the fleet puts its stations on sites with a limit, and
watches each site's power (what its stations' EVs draw, second by second) against it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from local.fleet.plan import StationSpec
from local.fleet.station import Station

VOLTAGE = 230.0
PHASES = 3
AT_LIMIT = 0.95  # a site drawing this share of its limit or more is at it


@dataclass(frozen=True)
class SitePlan:
    site_id: str
    station_ids: tuple[str, ...]
    limit_amps: float
    fallback_amps: float = 0.0

    @property
    def limit_w(self) -> float:
        return self.limit_amps * VOLTAGE * PHASES

    def body(self) -> dict[str, Any]:
        """PUT /sites/{id}. A fallback of 0 A: a session draws nothing until the allocator has
        given it a share, so that the site never passes its limit (with more, it may pass it by
        the fallback for as long as the allocator takes to answer)."""
        return {
            "limit": {"amps": self.limit_amps},
            "phases": PHASES,
            "minAmpsPerSession": 6,
            "fallbackAmps": self.fallback_amps,
            "chargePoints": list(self.station_ids),
        }


def plan_sites(specs: list[StationSpec], count: int, prefix: str, limit_amps: float) -> list[SitePlan]:
    """`count` sites, each with an equal run of the fleet's stations."""
    if count <= 0:
        return []
    per = -(-len(specs) // count)
    return [
        SitePlan(f"{prefix}site-{i + 1:02d}", tuple(s.id for s in specs[i * per : (i + 1) * per]), limit_amps)
        for i in range(count)
        if specs[i * per : (i + 1) * per]
    ]


@dataclass
class SitePower:
    plan: SitePlan
    peak_w: float = 0.0
    samples: int = 0
    at_limit: int = 0
    over: int = 0
    now_w: float = 0.0
    ready: bool = False  # every station holds the site's fallback

    def summary(self) -> dict[str, Any]:
        return {
            "site": self.plan.site_id,
            "stations": len(self.plan.station_ids),
            "limitKw": round(self.plan.limit_w / 1000, 2),
            "peakKw": round(self.peak_w / 1000, 2),
            "atLimitShare": round(self.at_limit / self.samples, 3) if self.samples else 0.0,
            "samplesOver": self.over,
        }


def _holds_fallback(station: Station) -> bool:
    return any(p.purpose == "TxDefaultProfile" for p in station.profiles)


@dataclass
class SiteWatch:
    """Samples each site's power; a sample over the limit is counted, never smoothed away.
    A site is sampled from when every station is online and holds the site's fallback: a
    station new to the CSMS learns it after its first boot, and draws what its EV asks until
    then (a station in service has held it since)."""

    sites: list[SitePower] = field(default_factory=list)
    sampling: bool = False

    @classmethod
    def of(cls, plans: list[SitePlan]) -> SiteWatch:
        return cls([SitePower(plan) for plan in plans])

    def sample(self, stations: dict[str, Station]) -> None:
        for site in self.sites if self.sampling else []:
            if not site.ready:
                members = [stations.get(station_id) for station_id in site.plan.station_ids]
                site.ready = all(
                    m is not None and any(p.purpose == "TxDefaultProfile" for p in m.profiles)
                    for m in members
                )
                if not site.ready:
                    continue
            drawn = sum(
                session.power_w
                for station_id in site.plan.station_ids
                if (station := stations.get(station_id)) is not None
                for session in station.active.values()
            )
            site.now_w = drawn
            site.peak_w = max(site.peak_w, drawn)
            site.samples += 1
            site.at_limit += drawn >= AT_LIMIT * site.plan.limit_w
            site.over += drawn > site.plan.limit_w + 1.0  # a watt for rounding
