import pytest

from shared.domain.errors import CommandRefused
from shared.domain.maintenance import LogRequest, LogType
from shared.domain.station_events import Monitor
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import profile_for
from tests.unit.protocol.wire import T0, answered, valid


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_log_requests_are_each_versions_calls(version):
    codec = diagnostics_codec(profile_for(version))
    diagnostics = LogRequest(7, LogType.DIAGNOSTICS, "https://csms/uploads/t", T0, T0, 1, 30)
    diag_action, diag = valid(version, codec.get_log(diagnostics))
    security = LogRequest(8, LogType.SECURITY, "https://csms/uploads/u")
    security_action, security_payload = valid(version, codec.get_log(security))
    assert (security_action, security_payload["logType"], security_payload["requestId"]) == (
        "GetLog",
        "SecurityLog",
        8,
    )
    if version == "1.6":
        assert diag_action == "GetDiagnostics" and diag["startTime"] == "2026-11-24T10:00:00.000Z"
    else:
        assert diag_action == "GetLog" and diag["logType"] == "DiagnosticsLog"
        assert diag["log"]["oldestTimestamp"] == "2026-11-24T10:00:00.000Z"


@pytest.mark.parametrize(
    ("version", "action", "payload", "response", "expected"),
    [
        ("1.6", "GetDiagnostics", {"location": "x"}, {}, ("log", None, "NoDiagnostics", None)),
        (
            "1.6",
            "GetDiagnostics",
            {"location": "x"},
            {"fileName": "d.zip"},
            ("log", None, "Accepted", "d.zip"),
        ),
        (
            "2.1",
            "GetLog",
            {"requestId": 6},
            {"status": "Accepted", "filename": "l.txt"},
            ("log", 6, "Accepted", "l.txt"),
        ),
        ("2.0.1", "UpdateFirmware", {"requestId": 3}, {"status": "Rejected"}, None),
    ],
)
def test_answers_to_log_requests_name_their_request(version, action, payload, response, expected):
    codec = diagnostics_codec(profile_for(version))
    answer = codec.log_answer(answered(version, action, payload, response), response)
    got = None if answer is None else (answer.kind.value, answer.request_id, answer.status, answer.file_name)
    assert got == expected


def test_variable_monitors_are_2x_calls_and_1_6_has_none():
    monitor = Monitor("EVSE/Temperature", "UpperThreshold", 80, 4, evse_id=1)
    action, payload = valid("2.0.1", diagnostics_codec(profile_for("2.0.1")).set_monitoring([monitor]))
    assert action == "SetVariableMonitoring"
    assert payload["setMonitoringData"][0]["variable"] == {"name": "Temperature"}
    valid("2.1", diagnostics_codec(profile_for("2.1")).get_monitoring_report(9, ["DeltaMonitoring"]))
    with pytest.raises(CommandRefused):
        diagnostics_codec(profile_for("1.6")).set_monitoring([monitor])
