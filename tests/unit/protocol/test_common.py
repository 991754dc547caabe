from datetime import UTC, datetime

import pytest

from shared.protocol.common import parse_timestamp
from shared.protocol.errors import ErrorKind, RpcError


def test_zoned_timestamps_are_converted_to_utc():
    assert parse_timestamp("2026-11-24T12:00:00+02:00", "t") == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_timestamp_without_zone_is_read_as_utc():
    assert parse_timestamp("2026-11-24T10:00:00", "t") == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_malformed_timestamp_is_a_property_constraint_violation():
    with pytest.raises(RpcError) as caught:
        parse_timestamp("yesterday", "timestamp")
    assert caught.value.kind is ErrorKind.PROPERTY_CONSTRAINT


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "1969-12-31T23:59:59Z",
        "9001-01-01T00:00:00Z",
    ],
)
def test_times_off_the_calendar_or_out_of_range_are_refused_by_field(value):
    with pytest.raises(RpcError) as caught:
        parse_timestamp(value, "timestamp")
    assert caught.value.kind is ErrorKind.PROPERTY_CONSTRAINT and caught.value.description.startswith(
        "timestamp:"
    )
