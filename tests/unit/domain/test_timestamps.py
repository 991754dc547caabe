from datetime import UTC, datetime, timedelta, timezone

from shared.domain.timestamps import format_timestamp


def test_timestamps_go_out_in_utc_with_a_z():
    assert format_timestamp(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)) == "2026-01-02T03:04:05.678Z"


def test_other_zones_are_converted():
    plus_two = timezone(timedelta(hours=2))
    assert format_timestamp(datetime(2026, 1, 2, 5, 0, tzinfo=plus_two)) == "2026-01-02T03:00:00.000Z"
