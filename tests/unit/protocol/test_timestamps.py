from datetime import UTC, datetime

import pytest

from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.timestamps import format_timestamp, parse_timestamp


def test_zoned_timestamps_are_converted_to_utc():
    assert parse_timestamp("2026-11-24T12:00:00+02:00", "t") == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_timestamp_without_zone_is_read_as_utc():
    assert parse_timestamp("2026-11-24T10:00:00", "t") == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_malformed_timestamp_is_a_property_constraint_violation():
    with pytest.raises(RpcError) as caught:
        parse_timestamp("yesterday", "timestamp")
    assert caught.value.kind is ErrorKind.PROPERTY_CONSTRAINT


def test_timestamps_go_out_in_utc_with_a_z():
    assert format_timestamp(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)) == "2026-01-02T03:04:05.678Z"
