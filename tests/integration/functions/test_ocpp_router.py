"""The $default handler: frames in, state stored, answers posted, for every version."""

import json

from functions.ocpp_router.handler import lambda_handler as route
from local import events
from shared.data import charge_points, connectors
from shared.domain.timestamps import utc_now
from tests.builders import CONTEXT, boot, socket, status


def test_boot_notification_is_stored_and_answered_with_the_heartbeat_interval(station, version):
    answer = station([2, "b1", "BootNotification", boot(version)])
    assert answer[:2] == [3, "b1"]
    assert answer[2]["status"] == "Accepted" and answer[2]["interval"] == 300
    record = charge_points.find_charge_point("CP1")
    assert (record.vendor, record.model, record.serial_number, record.firmware_version) == (
        "Acme",
        "Volt",
        "S-1",
        "1.0",
    )
    assert record.last_boot_at is not None


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


def test_garbage_gets_a_callerror_and_the_connection_keeps_working(station, version):
    format_code = "FormationViolation" if version == "1.6" else "FormatViolation"
    assert station("}{ not json")[:3] == [4, "-1", format_code]
    assert station(b"\x00\xff")[:3] == [4, "-1", format_code]
    assert station([2, "u1", "MakeCoffee", {}])[:3] == [4, "u1", "NotImplemented"]
    assert station([2, "h2", "Heartbeat", {}])[:2] == [3, "h2"]


def test_schema_failures_get_the_code_the_spec_names(station, version):
    occurrence = "OccurenceConstraintViolation" if version == "1.6" else "OccurrenceConstraintViolation"
    assert station([2, "v1", "StatusNotification", {"connectorId": 1}])[:3] == [4, "v1", occurrence]
    bad_type = status(version, "one", "Available")
    assert station([2, "v2", "StatusNotification", bad_type])[:3] == [4, "v2", "TypeConstraintViolation"]
    assert list(connectors.connectors_of("CP1")) == []


def test_csms_only_actions_are_not_supported_and_unhandled_ones_not_implemented(station, version):
    csms_action = "Reset"
    assert station([2, "r1", csms_action, {}])[:3] == [4, "r1", "NotSupported"]
    assert station([2, "d1", "DataTransfer", {"vendorId": "acme"}])[:3] == [4, "d1", "NotImplemented"]


def test_answers_from_the_charge_point_are_never_answered(station, posted):
    before = len(posted.frames)
    station([3, "unknown-id", {"status": "Accepted"}])
    station([4, "unknown-id", "InternalError", "x", {}])
    station([3, "broken"])
    assert len(posted.frames) == before


def test_a_handler_fault_is_an_internal_error_without_internals(station, version, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(connectors, "record_connector_status", explode)
    answer = station([2, "s9", "StatusNotification", status(version, 1, "Available")])
    assert answer[:3] == [4, "s9", "InternalError"]
    assert "hunter2" not in json.dumps(answer)
    assert station([2, "h3", "Heartbeat", {}])[:2] == [3, "h3"]


def test_a_timestamp_without_zone_is_stored_as_utc(station, version):
    station([2, "s1", "StatusNotification", status(version, 1, "Available", at="2026-11-24T10:00:00")])
    assert next(iter(connectors.connectors_of("CP1"))).timestamp.isoformat() == "2026-11-24T10:00:00+00:00"


def test_ocpp_2_1_send_frames_get_no_answer(aws, posted):
    charge_points.register_charge_point("CP1", utc_now())
    frame = json.dumps(
        [
            6,
            "e1",
            "NotifyPeriodicEventStream",
            {"id": 1, "pending": 0, "basetime": "2026-11-24T10:00:00Z", "data": []},
        ]
    )
    route(events.message(socket("c1", "CP1", "2.1"), frame), CONTEXT)
    assert posted.frames == []
