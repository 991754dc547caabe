"""Each connection's own moment to be renewed: inside the window, fixed by its id, and spread
evenly over the window however many connections opened together."""

from datetime import UTC, datetime, timedelta

from shared.domain.renewal import renewal_due, renewal_moment

OPENED = datetime(2026, 12, 2, 10, tzinfo=UTC)


def test_moments_fall_in_the_window_and_spread_over_it():
    moments = [renewal_moment(f"conn-{i}", OPENED, 5400, 1200) for i in range(2000)]
    assert min(moments) >= OPENED + timedelta(minutes=90) and max(moments) <= OPENED + timedelta(minutes=110)
    minutes = [int((m - OPENED).total_seconds() // 60) - 90 for m in moments]
    per_minute = [minutes.count(m) for m in range(20)]
    assert min(per_minute) > 60 and max(per_minute) < 140  # 100 a minute on average, not all at once
    assert renewal_moment("conn-7", OPENED, 5400, 1200) == moments[7]  # the same id, the same moment


def test_due_from_the_moment_on_and_never_when_off_or_unknown():
    moment = renewal_moment("c1", OPENED, 5400, 1200)
    assert not renewal_due("c1", OPENED, moment - timedelta(seconds=1), 5400, 1200)
    assert renewal_due("c1", OPENED, moment, 5400, 1200)
    assert not renewal_due("c1", OPENED, OPENED + timedelta(days=1), 0, 1200)
    assert not renewal_due("c1", None, OPENED + timedelta(days=1), 5400, 1200)
