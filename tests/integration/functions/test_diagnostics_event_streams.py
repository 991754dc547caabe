"""2.1 periodic event streams through the router: opened and closed kept, their values (a SEND,
never answered) kept once per message at one write, with nothing published."""

import json

import pytest

from tests.builders import call, call_api

OPEN = {"constantStreamData": {"id": 4, "variableMonitoringId": 12, "params": {"interval": 60, "values": 10}}}
DATA = {
    "id": 4,
    "pending": 0,
    "basetime": "2026-12-01T10:00:00Z",
    "data": [{"t": 0, "v": "230.1"}, {"t": 1.5, "v": "229.8"}],
}


def events(kind):
    return call_api("GET", "/charge-points/CP1/events", query=f"kind={kind}")[1]["items"]


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_a_stream_is_opened_sent_on_and_closed_each_kept_once(station, published, aws_calls):
    assert call(station, "OpenPeriodicEventStream", OPEN) == {"status": "Accepted"}
    assert call(station, "OpenPeriodicEventStream", OPEN) == {"status": "Accepted"}  # a resend

    aws_calls.reset()
    assert station([6, "s1", "NotifyPeriodicEventStream", DATA]) is None  # a SEND: no answer
    assert (aws_calls.dynamodb_reads, aws_calls.dynamodb_writes, aws_calls.of("events")) == (0, 1, 0)
    assert station([6, "s1", "NotifyPeriodicEventStream", DATA]) is None  # the same again
    later = {**DATA, "basetime": "2026-12-01T10:00:10Z", "data": [{"t": 0, "v": "231"}]}
    assert station([6, "s2", "NotifyPeriodicEventStream", later]) is None
    assert station([6, "s3", "NotifyPeriodicEventStream", {"id": 4}]) is None  # invalid: dropped, unanswered

    assert call(station, "ClosePeriodicEventStream", {"id": 4}, "c") == {}
    streams = events("event-stream")
    assert [(s["id"], s["opened"]) for s in streams] == [(4, False), (4, True)]
    assert streams[1]["params"] == {"interval": 60, "values": 10} and streams[1]["variableMonitoringId"] == 12
    values = events("stream-data")
    assert [v["basetime"] for v in values] == ["2026-12-01T10:00:10.000Z", "2026-12-01T10:00:00.000Z"]
    assert values[1]["data"] == DATA["data"]
    assert published.events == []


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_2_0_1_has_no_event_streams(station):
    answer = station([2, "o", "OpenPeriodicEventStream", OPEN])
    assert answer[0] == 4 and answer[2] in ("NotImplemented", "NotSupported"), json.dumps(answer)
