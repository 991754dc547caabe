"""The cost model: a station's month by kind, priced from per-invocation figures."""

from __future__ import annotations

import math

import pytest

from local.cost.model import (
    MONTH_MINUTES,
    MONTH_S,
    PROFILES,
    FunctionConfig,
    Measured,
    Model,
    Stack,
    load_prices,
    per_charge_point_dimensions,
)

FRAMES_2X = (
    "Heartbeat",
    "BootNotification",
    "Authorize",
    "StatusNotification",
    "TransactionEvent Started",
    "TransactionEvent Updated",
    "TransactionEvent Ended",
)
FRAMES_16 = ("Heartbeat", "BootNotification", "Authorize", "StatusNotification", "StartTransaction")
FRAMES_16 += ("MeterValues", "StopTransaction")


def tally(n=10, cpu_ms=1.0, dynamodb=1, wru=1.0, messages=1, log_info=0, stored=0):
    return {
        "invocations": n,
        "cpu_s": cpu_ms * n / 1000,
        "calls": {"dynamodb": dynamodb * n},
        "read_units": 0.0,
        "write_units": wru * n,
        "stored_bytes": stored * n,
        "events": 0,
        "messages_in": messages * n,
        "bytes_in": 200 * n,
        "messages_out": messages * n,
        "bytes_out": 50 * n,
        "log_bytes": {"INFO": log_info * n},
        "metric_bytes": 0,
    }


def usage(**overrides):
    kinds = {f"{v} {k}": tally() for v in ("2.0.1", "2.1") for k in FRAMES_2X}
    kinds |= {f"1.6 {k}": tally() for k in FRAMES_16}
    kinds |= {name: tally(messages=0) for name in ("authorizer", "connect", "disconnect")}
    return {"kinds": kinds | overrides, "metrics": [["Connected", {"service": "csms"}]]}


FUNCTIONS = ("ocpp-router", "authorizer", "connect", "disconnect", "command-timeouts")
STACK = Stack(
    functions={name: FunctionConfig(512, False, "INFO", False) for name in FUNCTIONS},
    alarms=10,
    dashboards=1,
    secrets=1,
    access_log_bytes=0,
    schedules={"command-timeouts": MONTH_MINUTES},
)
QUIET = PROFILES[0]


def model(**overrides):
    return Model(Measured.of(usage(**overrides)), STACK, load_prices())


def test_a_quiet_station_sends_a_heartbeat_each_interval_and_a_reading_each_meter_interval():
    frames = QUIET.frames("2.x")
    assert frames["Heartbeat"] == pytest.approx(MONTH_S / 540)
    sessions = 2 * 1 * MONTH_S / 86400
    assert frames["TransactionEvent Updated"] == pytest.approx(sessions * (120 * 60 / 300 + 1))
    assert QUIET.frames("1.6")["StatusNotification"] == pytest.approx(sessions * 4 + 3)


def test_every_frame_and_its_answer_is_a_message_and_every_minute_connected_is_billed():
    bill = model().bill(QUIET, "2.x", 1000).at(1000)
    frames = sum(QUIET.frames("2.x").values())
    assert bill["WebSocket messages"] == pytest.approx(frames * 2 * 1e-6)
    assert bill["WebSocket connection minutes"] == pytest.approx(MONTH_MINUTES * 0.25e-6)
    assert model().floor() == bill["WebSocket connection minutes"]


def test_what_does_not_grow_with_the_fleet_is_spread_over_it():
    bills = model().bill(QUIET, "2.x", 100)
    small, large = bills.at(100), bills.at(10_000)
    fixed = "CloudWatch metrics, alarms, dashboard"
    assert small[fixed] == pytest.approx(100 * large[fixed])
    assert large[fixed] * 10_000 == pytest.approx(1 * 0.30 + 10 * 0.10 + 3.00)
    assert small["DynamoDB reads and writes"] == large["DynamoDB reads and writes"]


def test_a_function_is_billed_its_cpu_at_its_memorys_share_and_its_round_trips():
    m = model()
    unit = m.measured.frame(("2.0.1",), "Heartbeat")
    # 1 ms of CPU at 512 MB is 1769/512 ms; one DynamoDB round trip waits 6 ms.
    assert m.duration_ms(unit, 512) == math.ceil(1769 / 512 + 6)
    assert m.duration_ms(unit, 2048) == math.ceil(1 + 6)


def test_logs_count_at_the_stacks_level_and_the_access_log_per_frame():
    quiet_logs = model().bill(QUIET, "2.x", 1000).at(1000)["CloudWatch Logs"]
    louder = model(**{f"2.0.1 {k}": tally(log_info=1000) for k in FRAMES_2X})
    assert louder.bill(QUIET, "2.x", 1000).at(1000)["CloudWatch Logs"] > quiet_logs


def test_a_kind_the_run_never_saw_is_named():
    kinds = usage()["kinds"]
    del kinds["2.0.1 Heartbeat"], kinds["2.1 Heartbeat"]
    incomplete = Model(Measured.of({"kinds": kinds, "metrics": []}), STACK, load_prices())
    with pytest.raises(KeyError, match=r"Heartbeat for OCPP 2\.0\.1/2\.1"):
        incomplete.bill(QUIET, "2.x", 100)


def test_a_metric_per_charge_point_is_flagged():
    assert per_charge_point_dimensions([("Calls", {"service": "csms"})]) == []
    flagged = per_charge_point_dimensions([("Calls", {"service": "csms", "chargePointId": "CP-1"})])
    assert flagged == ["Calls by chargePointId, service"]


def test_the_prices_name_their_region_and_date():
    prices = load_prices()
    assert prices["region"] and prices["date"]
    assert prices["api_gateway_websocket"]["message"] > 0
