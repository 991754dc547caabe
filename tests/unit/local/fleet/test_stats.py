"""The figures a load report gives: nearest-rank percentiles, and outcomes counted per phase
and, in the steady phase, per message type."""

from __future__ import annotations

from local.fleet.stats import Stats, percentile


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([], 0.99) == 0.0


def test_outcomes_are_counted_per_phase_and_per_type_while_steady():
    stats = Stats()
    stats.answered("BootNotification", 0.5)  # ramp
    stats.phase = "steady"
    stats.answered("MeterValues", 0.010)
    stats.answered("MeterValues", 0.030)
    stats.call_error("MeterValues", "InternalError")
    stats.timeout("Heartbeat")
    stats.interrupted("StatusNotification")
    stats.phase = "wind-down"
    stats.answered("StopTransaction", 0.2)

    meter = stats.types["MeterValues"].summary()
    assert (meter["sent"], meter["answered"], meter["callErrors"]) == (3, 2, {"InternalError": 1})
    assert (meter["p50Ms"], meter["maxMs"]) == (10.0, 30.0)
    assert "BootNotification" not in stats.types and "StopTransaction" not in stats.types
    assert stats.phases["ramp"].sent == 1 and stats.phases["wind-down"].sent == 1
    steady = stats.phases["steady"].summary()
    assert (steady["sent"], steady["timeouts"], steady["interrupted"]) == (5, 1, 1)
    assert (stats.call_errors, stats.timeouts) == (1, 1)
