"""How a range becomes kept periods, and what a session adds to each."""

from datetime import UTC, date, datetime

import pytest

from shared.domain.analytics import BadRange, Owner, periods_of, session_contribution


def test_whole_months_are_one_period_and_the_rest_are_days():
    keys = periods_of(date(2026, 10, 30), date(2026, 12, 2))
    assert keys == ["day#2026-10-30", "day#2026-10-31", "month#2026-11", "day#2026-12-01", "day#2026-12-02"]
    assert periods_of(date(2026, 1, 1), date(2026, 12, 31)) == [f"month#2026-{m:02d}" for m in range(1, 13)]
    assert periods_of(date(2024, 2, 1), date(2024, 2, 28)) == [f"day#2024-02-{d:02d}" for d in range(1, 29)]


def test_a_range_is_forward_and_at_most_a_year():
    with pytest.raises(BadRange):
        periods_of(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(BadRange):
        periods_of(date(2025, 1, 1), date(2026, 1, 2))


def test_a_session_over_midnight_splits_its_busy_time_and_keeps_its_energy_on_the_last_day():
    owner = Owner("CP1", "depot", "Volt")
    made = session_contribution(
        owner,
        "7",
        "1",
        datetime(2026, 11, 30, 23, tzinfo=UTC),
        datetime(2026, 12, 1, 0, 30, tzinfo=UTC),
        5000,
    )
    assert made.key == "session#CP1#7"
    assert made.members == ("fleet", "cp#CP1", "site#depot", "model#Volt", "conn#CP1#1")
    day, month = made.periods["day#2026-11-30"], made.periods["month#2026-11"]
    assert (day.busy_s, day.energy_wh, day.sessions) == (3600, 0, 0)
    assert month == day
    last = made.periods["day#2026-12-01"]
    assert (last.busy_s, last.energy_wh, last.sessions) == (1800, 5000, 1)


def test_a_session_never_stopped_for_a_month_counts_two_weeks_of_busy_time():
    made = session_contribution(
        Owner("CP1"), "7", "1", datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC), None
    )
    assert sum(f.busy_s for k, f in made.periods.items() if k.startswith("day#")) == 14 * 86400
    assert len(made.periods) * len(made.members) + 1 <= 100
