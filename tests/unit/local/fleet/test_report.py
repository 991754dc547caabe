"""A load run's verdict: it passes only with no errors, every queue delivered, the CSMS's view
matching the fleet's, and the steady p99 within its limit."""

from __future__ import annotations

import io
import json

import pytest

from local.fleet import plan
from local.fleet.api import Check
from local.fleet.drivers import Driver
from local.fleet.report import LiveView, build, text
from local.fleet.runner import Options, Outcome
from local.fleet.stats import Stats


def outcome(latency_s=0.05, check=None, errors=0, undelivered=0):
    stats = Stats()
    stats.phase = "steady"
    for _ in range(200):
        stats.answered("MeterValues", latency_s)
    for _ in range(errors):
        stats.call_error("MeterValues", "InternalError")
    return Outcome([], stats, check or Check(expected=3, found=3), undelivered, 60.0, 50.0, {"fleet": 5.0})


def verdict(result, max_p99_ms=1000.0):
    specs = plan.fleet(3, plan.parse_mix("1.6,2.0.1,2.1"), "r-")
    report = build(Options("ws://x/ocpp", None, None, specs, max_p99_ms=max_p99_ms), result, "ws://x/ocpp")
    json.dumps(report)  # the --json file
    return report, text(report)


def test_a_clean_run_passes_and_says_so():
    report, shown = verdict(outcome())
    assert report["ok"] and report["problems"] == []
    assert report["messages"]["MeterValues"]["p99Ms"] == 50.0
    assert report["steadyMessagesPerSecond"] == 4.0
    assert report["steadyCpu"]["fleet"] == {"seconds": 5.0, "coreShare": 0.1, "msPerMessage": 25.0}
    assert shown.endswith("Result: PASS")


@pytest.mark.parametrize(
    ("result", "problem"),
    [
        (outcome(latency_s=1.5), "steady p99 1500 ms, over 1000 ms"),
        (outcome(errors=1), "1 CALLERRORs"),
        (outcome(undelivered=2), "2 stations could not deliver their queues in time"),
        (outcome(check=Check(expected=3, found=2, missing=["r-0001/7"])), "the CSMS's records differ"),
        (
            outcome(check=Check(expected=3, found=3, drivers=2, driver_missing=["d-1: r-0001/7"])),
            "the CSMS's",
        ),
        (
            outcome(check=Check(expected=3, found=3, drivers=2, receipt_mismatch=["d-1: r-0001/7"])),
            "the CSMS's",
        ),
    ],
)
def test_a_run_fails_on_each_kind_of_shortfall(result, problem):
    report, shown = verdict(result)
    assert not report["ok"]
    assert any(p.startswith(problem) for p in report["problems"]), report["problems"]
    assert "Result: FAIL" in shown


def test_without_a_latency_limit_a_slow_run_still_passes():
    assert verdict(outcome(latency_s=1.5), max_p99_ms=None)[0]["ok"]


def test_a_soak_fails_on_a_window_over_the_limit_though_the_whole_is_within_it():
    result = outcome(latency_s=0.05)  # the steady phase as a whole
    stats = result.stats
    for seconds, latency_s in ((0.0, 0.05), (10.0, 1.5), (20.0, 0.05)):
        for _ in range(50):
            stats.window.sent += 1
            stats.window.latencies_s.append(latency_s)
        stats.close_window(seconds, 10.0, {"fleet": 0.5}, {"fleet": 80.0})

    report, shown = verdict(result)
    assert report["phases"]["steady"]["p99Ms"] == 50.0
    assert [w["p99Ms"] for w in report["windows"]] == [50.0, 1500.0, 50.0]
    assert report["problems"] == ["p99 over 1000 ms in 1 of 3 windows (first from 10 s: 1500 ms)"]
    assert "Steady phase window by window:" in shown


def test_after_a_storm_the_report_gives_the_busiest_second_of_it_and_of_what_came_later():
    result = outcome()
    stats = result.stats
    stats.storm_at = 100.0
    stats.connect_seconds.update({100: 900, 101: 100, 130: 50, 190: 3, 191: 7, 250: 2})
    report, shown = verdict(result)
    c = report["connections"]
    assert (c["stormPeakPerSecond"], c["laterPeakPerSecond"], c["laterPeakAtSeconds"]) == (900, 7, 91)
    assert c["laterReconnects"] == 12
    assert (
        "Reconnects: 900 in the storm's busiest second; after it, 12 more, at most 7 in one second" in shown
    )
    assert "stormPeakPerSecond" not in verdict(outcome())[0]["connections"]  # no storm, no figures


def test_the_drivers_view_is_reported_with_what_differs():
    check = Check(
        expected=3,
        found=3,
        drivers=2,
        driver_expected=3,
        driver_found=3,
        driver_foreign=["d-ada: r-0002/9 (card R-0001, driver d-bob's)"],
        receipts_checked=3,
    )
    report, shown = verdict(outcome(check=check))
    assert not report["ok"]
    assert report["csmsView"]["driverForeign"] == ["d-ada: r-0002/9 (card R-0001, driver d-bob's)"]
    assert (
        "Drivers: 2 accounts, each read with its own key: 3 of 3 sessions of their cards shown, 0 missing, "
        "1 not theirs, 0 shown twice, 0 with other energy; 3 receipts, 0 with another total incl. VAT"
    ) in shown
    assert "  driverForeign: d-ada: r-0002/9 (card R-0001, driver d-bob's)" in shown
    assert "Drivers:" not in verdict(outcome())[1]  # a run without drivers says nothing of them


def test_a_demo_in_a_log_gives_its_drivers_keys_once():
    out = io.StringIO()  # not a terminal: a line every ten seconds
    view, stats = LiveView(["header"], out), Stats()
    stats.drivers = [Driver("d-ada", "csk_ada", ("DEMO-0000", "DEMO-0002"))]
    for _ in range(20):
        view([], stats)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Driver     d-ada  cards DEMO-0000, DEMO-0002  key csk_ada"
    assert len(lines) == 3 and lines.count(lines[0]) == 1
