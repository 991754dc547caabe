"""The $default handler: frames in, answers out, for every version: malformed frames, schema
failures and faults get the CALLERROR the version names. Each block's actions are tested in
test_<block>.py."""

import json

from functions.ocpp_router.handler import lambda_handler as route
from local.runtime import events
from shared.data import charge_points, connectors
from shared.domain.timestamps import utc_now
from tests.builders import CONTEXT, socket, status


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
    answer = station([2, "s1", "VatNumberValidation", {"vatNumber": "NL123", "evseId": 1}])
    if version == "2.1":  # answered: the number is not of NL's form
        assert answer[:2] == [3, "s1"] and answer[2]["status"] == "Rejected"
    else:  # no action of the versions before it
        assert answer[:3] == [4, "s1", "NotImplemented"]


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
