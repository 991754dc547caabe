"""Charging profiles: which installed profile a new one would collide with, and schedules in
both units."""

from datetime import UTC, datetime

from shared.domain.charging_profiles import KnownProfile, ProfileFacts, clash, periods_of

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)


def known(
    profile_id: int, evse: int, stack: int, purpose: str = "TxDefaultProfile", status: str = "Accepted"
):
    return KnownProfile(
        "CP1", evse, ProfileFacts(profile_id, purpose, stack, "Absolute"), {}, status, "set", NOW
    )


def test_a_clash_is_the_same_evse_purpose_and_level_under_another_id():
    installed = [known(1, 1, 0), known(2, 1, 1, status="Rejected"), known(3, 0, 1, "ChargePointMaxProfile")]
    assert clash(1, ProfileFacts(9, "TxDefaultProfile", 0, "Absolute"), installed) == installed[0]
    assert clash(1, ProfileFacts(1, "TxDefaultProfile", 0, "Relative"), installed) is None  # a replacement
    assert (
        clash(1, ProfileFacts(9, "TxDefaultProfile", 1, "Absolute"), installed) is None
    )  # refused: not held
    assert clash(2, ProfileFacts(9, "TxDefaultProfile", 0, "Absolute"), installed) is None
    assert clash(0, ProfileFacts(9, "ChargePointMaxProfile", 1, "Absolute"), installed) == installed[2]


def test_periods_start_in_order_with_limits_in_both_units():
    raw = [
        {"startPeriod": 600, "limit": 7360, "numberPhases": 1},
        {"startPeriod": 0, "limit": 22080},
    ]
    periods = periods_of(NOW, "W", raw)
    assert [(p.start.minute, p.limit_a, p.limit_w, p.phases) for p in periods] == [
        (0, 32.0, 22080.0, 3),
        (10, 32.0, 7360.0, 1),
    ]
    [amps] = periods_of(NOW, "A", [{"startPeriod": 0, "limit": 6.5, "numberPhases": 2}])
    assert (amps.limit_a, amps.limit_w) == (6.5, 2990.0)
