"""Item sizes and capacity units by DynamoDB's rules, and how an invocation is named."""

from __future__ import annotations

import json

import pytest

from local.runtime.usage import item_bytes, kind_of, read_units, value_bytes, write_units


def test_sizes_follow_dynamodbs_rules():
    assert value_bytes({"S": "héllo"}) == 6  # UTF-8 bytes
    assert value_bytes({"N": "123"}) == 3  # a byte per two significant digits, and one
    assert value_bytes({"N": "-0.00100"}) == 2
    assert value_bytes({"BOOL": True}) == value_bytes({"NULL": True}) == 1
    assert value_bytes({"B": b"\x00\x01\x02"}) == 3
    # A list or map: 3 bytes, and a byte per element besides its own size.
    assert value_bytes({"L": [{"S": "ab"}, {"N": "1"}]}) == 3 + (1 + 2) + (1 + 2)
    assert value_bytes({"M": {"k": {"S": "v"}}}) == 3 + 1 + 1 + 1
    assert item_bytes({"pk": {"S": "CP-1"}, "n": {"N": "42"}}) == (2 + 4) + (1 + 2)
    with pytest.raises(ValueError):
        value_bytes({"X": 1})


def test_units_round_up_per_item_and_halve_for_eventual_reads():
    assert write_units(1) == 1 and write_units(1024) == 1 and write_units(1025) == 2
    assert read_units(0, consistent=True) == 1  # an item not found still costs a read
    assert read_units(4096, consistent=False) == 0.5
    assert read_units(4097, consistent=False) == 1


def router_event(version, frame):
    return {"requestContext": {"authorizer": {"ocppVersion": version}}, "body": json.dumps(frame)}


def test_router_invocations_are_named_by_version_and_action():
    assert kind_of("ocpp-router", router_event("1.6", [2, "1", "Heartbeat", {}])) == "1.6 Heartbeat"
    started = [2, "1", "TransactionEvent", {"eventType": "Started"}]
    assert kind_of("ocpp-router", router_event("2.0.1", started)) == "2.0.1 TransactionEvent Started"
    assert kind_of("ocpp-router", router_event("2.1", [3, "1", {}])) == "2.1 reply"
    assert kind_of("ocpp-router", {"requestContext": {}, "body": "{"}) == "? malformed"
    assert kind_of("connect", {}) == "connect"
