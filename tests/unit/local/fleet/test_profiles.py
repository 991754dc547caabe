"""What a simulated station's charging profiles let a connector draw."""

from datetime import UTC, datetime, timedelta

from local.fleet.profiles import Held, limit_w

T0 = datetime(2026, 12, 2, 10, tzinfo=UTC)


def held(connector, profile_id, purpose, stack, periods, unit="A", start=None, v2=False):
    schedule = {"charging_rate_unit": unit, "charging_schedule_period": periods}
    if start:
        schedule["start_schedule"] = start
    key = "id" if v2 else "charging_profile_id"
    body = {key: profile_id, "stack_level": stack, "charging_profile_purpose": purpose}
    return Held(connector, {**body, "charging_schedule": [schedule] if v2 else schedule})


def test_nothing_held_limits_nothing():
    assert limit_w([], 1, T0, T0) is None


def test_a_session_profile_beats_a_default_and_the_station_maximum_caps_both():
    default = held(0, 1, "TxDefaultProfile", 0, [{"start_period": 0, "limit": 16}])
    higher = held(1, 2, "TxDefaultProfile", 1, [{"start_period": 0, "limit": 10}], v2=True)
    tx = held(1, 3, "TxProfile", 0, [{"start_period": 0, "limit": 32}])
    station = held(0, 4, "ChargingStationMaxProfile", 0, [{"start_period": 0, "limit": 11000}], unit="W")
    assert limit_w([default], 2, T0, T0) == 16 * 230 * 3
    assert limit_w([default, higher], 1, T0, T0) == 10 * 230 * 3
    assert limit_w([default, higher, tx], 1, T0, T0) == 32 * 230 * 3
    assert limit_w([default, higher, tx, station], 1, T0, T0) == 11000


def test_periods_follow_the_clock_and_a_finished_schedule_limits_nothing():
    periods = [{"start_period": 0, "limit": 16}, {"start_period": 600, "limit": 6, "number_phases": 1}]
    stepped = held(1, 1, "TxProfile", 0, periods)
    assert limit_w([stepped], 1, T0, T0 + timedelta(minutes=5)) == 16 * 230 * 3
    assert limit_w([stepped], 1, T0, T0 + timedelta(minutes=15)) == 6 * 230
    absolute = held(1, 2, "TxProfile", 0, [{"start_period": 0, "limit": 8}], start="2026-12-02T09:00:00Z")
    absolute.schedule()["duration"] = 1800
    assert limit_w([absolute], 1, T0, T0) is None  # it ran 09:00 to 09:30
