"""Stations on sites: equal runs of the fleet, a site's power the sum of what its sessions draw,
and a run that fails when a site draws more than its limit."""

from __future__ import annotations

from dataclasses import dataclass, field

from local.fleet import plan
from local.fleet.api import Check
from local.fleet.report import build, text
from local.fleet.runner import Options, Outcome
from local.fleet.sites import SitePlan, SiteWatch, plan_sites
from local.fleet.stats import Stats


@dataclass
class Drawing:
    power_w: float


@dataclass
class Held:
    purpose: str


@dataclass
class FakeStation:
    active: dict[int, Drawing] = field(default_factory=dict)
    profiles: list[Held] = field(default_factory=lambda: [Held("TxDefaultProfile")])


def test_sites_take_equal_runs_of_the_fleet():
    specs = plan.fleet(25, plan.parse_mix("1.6"), "s-")
    sites = plan_sites(specs, 3, "s-", 40)
    assert [len(s.station_ids) for s in sites] == [9, 9, 7]
    assert sites[0].station_ids[0] == "s-0001" and sites[2].station_ids[-1] == "s-0025"
    assert sites[0].body()["limit"] == {"amps": 40} and sites[0].body()["fallbackAmps"] == 0
    assert plan_sites(specs, 0, "s-", 40) == []


def test_a_site_is_watched_once_its_stations_hold_its_fallback_and_a_sample_over_is_counted():
    site = SitePlan("a", ("A1", "A2"), 16)  # 11.04 kW
    watch = SiteWatch.of([site])
    stations = {"A1": FakeStation({1: Drawing(6000), 2: Drawing(4000)}), "A2": FakeStation()}
    watch.sample(stations)  # type: ignore[arg-type]
    assert watch.sites[0].samples == 0  # not yet sampling
    watch.sampling = True
    stations["A2"].profiles = []
    watch.sample(stations)  # type: ignore[arg-type]
    assert watch.sites[0].samples == 0  # A2 has not been told its fallback yet
    stations["A2"].profiles = [Held("TxDefaultProfile")]
    watch.sample(stations)  # type: ignore[arg-type]
    stations["A2"].active[1] = Drawing(2000)
    watch.sample(stations)  # type: ignore[arg-type]
    power = watch.sites[0]
    assert (power.samples, power.at_limit, power.over, power.peak_w) == (2, 1, 1, 12000)
    summary = power.summary()
    assert summary == {
        "site": "a",
        "stations": 2,
        "limitKw": 11.04,
        "peakKw": 12.0,
        "atLimitShare": 0.5,
        "samplesOver": 1,
    }

    specs = plan.fleet(2, plan.parse_mix("1.6"), "A")
    outcome = Outcome([], Stats(), Check(), 0, 60.0, 50.0, {}, watch)
    report = build(Options("ws://x/ocpp", None, None, specs, sites=[site]), outcome, "ws://x/ocpp")
    assert not report["ok"] and report["problems"] == ["1 sites drew more than their limit (first: a)"]
    assert "the highest power seen 12 kW against a limit of 11.04 kW (a)" in text(report)
