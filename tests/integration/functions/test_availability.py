"""Availability: Heartbeat and StatusNotification through the router, for every version."""

from shared.data import connectors
from tests.builders import call, status


def test_heartbeat_touches_no_table(station, aws_calls):
    aws_calls.reset()
    answer = station([2, "h1", "Heartbeat", {}])
    assert answer[:2] == [3, "h1"] and answer[2]["currentTime"].endswith("Z")
    assert (aws_calls.dynamodb_reads, aws_calls.dynamodb_writes) == (0, 0)


def test_status_notification_keeps_the_latest_status_per_connector(station, version):
    assert station([2, "s1", "StatusNotification", status(version, 1, "Available")]) == [3, "s1", {}]
    station([2, "s2", "StatusNotification", status(version, 2, "Faulted", error="GroundFailure")])
    station(
        [
            2,
            "s3",
            "StatusNotification",
            status(version, 1, "Occupied" if version != "1.6" else "Preparing", at="2026-11-24T10:05:00Z"),
        ]
    )
    # A late resend of an older report changes nothing.
    station([2, "s4", "StatusNotification", status(version, 1, "Available", at="2026-11-24T09:00:00Z")])
    by_connector = {c.connector_id: c for c in connectors.connectors_of("CP1")}
    assert by_connector[1].status == ("Preparing" if version == "1.6" else "Occupied")
    assert by_connector[2].status == "Faulted"
    assert by_connector[2].error_code == ("GroundFailure" if version == "1.6" else None)
    assert by_connector[1].evse_id == (None if version == "1.6" else 1)


def test_status_changes_are_published_once(station, version, published):
    payload = (
        {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": "2026-11-24T10:00:00Z"}
        if version == "1.6"
        else {
            "evseId": 1,
            "connectorId": 1,
            "connectorStatus": "Available",
            "timestamp": "2026-11-24T10:00:00Z",
        }
    )
    call(station, "StatusNotification", payload, "a")
    call(
        station, "StatusNotification", {**payload, "timestamp": "2026-11-24T09:00:00Z"}, "b"
    )  # older: kept out
    [changed] = published.of("ConnectorStatusChanged")
    assert (changed["chargePointId"], changed["connectorId"], changed["status"]) == ("CP1", 1, "Available")
    assert changed["timestamp"] == "2026-11-24T10:00:00.000Z"
