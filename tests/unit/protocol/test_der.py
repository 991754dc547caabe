"""The DER block's codec: 2.1's calls valid by its schema, what stations report keyed so that a
resend is the same event, and nothing of it before 2.1."""

import pytest

from shared.domain.errors import CommandRefused
from shared.domain.station_events import EventKind
from shared.protocol.der import der_codec
from shared.protocol.errors import RpcError
from shared.protocol.versions import profile_for
from tests.unit.protocol.wire import T0, answered, valid

V21 = der_codec(profile_for("2.1"))
CONTROL = {
    "isDefault": True,
    "controlType": "FixedVar",
    "fixedVar": {"priority": 0, "setpoint": 20, "unit": "PctMaxVar"},
}


def test_set_and_clear_are_2_1_calls_and_the_answer_is_kept_with_the_control():
    action, payload = valid("2.1", V21.set_control("FV-1", CONTROL))
    assert (action, payload) == ("SetDERControl", {**CONTROL, "controlId": "FV-1"})
    assert valid("2.1", V21.clear_control("FV-1", True)) == (
        "ClearDERControl",
        {"isDefault": True, "controlId": "FV-1"},
    )
    response = {"status": "Rejected", "statusInfo": {"reasonCode": "Busy", "additionalInfo": "try later"}}
    kept = V21.control_kept(answered("2.1", action, payload, response), response, T0)
    assert (kept.control_id, kept.control_type, kept.is_default, kept.control) == (
        "FV-1",
        "FixedVar",
        True,
        CONTROL,
    )
    assert (kept.status, kept.status_info, kept.superseded_ids) == ("Rejected", "Busy try later", ())


@pytest.mark.parametrize(
    ("status", "cleared"), [("Accepted", "FV-1"), ("NotFound", "FV-1"), ("Rejected", None)]
)
def test_a_clear_forgets_the_control_only_once_the_station_no_longer_has_it(status, cleared):
    payload = {"isDefault": True, "controlId": "FV-1"}
    command = answered("2.1", "ClearDERControl", payload, {"status": status})
    assert V21.control_cleared(command, {"status": status}) == cleared


def test_alarms_raised_and_ended_are_two_events_and_a_resend_is_the_same():
    raised = {
        "controlType": "VoltVar",
        "gridEventFault": "OverVoltage",
        "timestamp": "2026-12-01T10:00:00Z",
        "customData": {"vendorId": "x"},
    }
    first, again = V21.alarm(raised), V21.alarm(dict(raised))
    ended = V21.alarm({**raised, "alarmEnded": True})
    assert first.kind is EventKind.DER_ALARM and first.sort == again.sort != ended.sort
    assert "customData" not in first.body and first.at.isoformat() == "2026-12-01T10:00:00+00:00"


def test_starts_and_stops_and_report_parts_are_told_apart():
    start = {"controlId": "C", "started": True, "timestamp": "2026-12-01T10:00:00Z"}
    assert V21.start_stop(start).sort != V21.start_stop({**start, "started": False}).sort
    part = {
        "requestId": 3,
        "tbc": True,
        "gradient": [{"id": "G", "gradient": {"priority": 1, "gradient": 1, "softGradient": 2}}],
    }
    other = {"requestId": 3, "enterService": []}
    assert V21.report(part, T0).sort == V21.report(dict(part), T0).sort != V21.report(other, T0).sort


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_before_2_1_a_control_is_refused_with_why_and_a_report_is_no_message(version):
    codec = der_codec(profile_for(version))
    with pytest.raises(CommandRefused, match=r"came with OCPP 2\.1"):
        codec.set_control("FV-1", CONTROL)
    with pytest.raises(CommandRefused, match=r"came with OCPP 2\.1"):
        codec.clear_control("FV-1", True)
    with pytest.raises(RpcError):
        codec.alarm({"controlType": "VoltVar", "timestamp": "2026-12-01T10:00:00Z"})
