from datetime import UTC, datetime

import pytest
from ocpp.messages import Call

from shared.domain.commands import Command, CommandStatus
from shared.domain.errors import CommandRefused
from shared.domain.maintenance import FirmwareUpdate, LogRequest, LogType
from shared.domain.station_events import Monitor
from shared.protocol import framing
from shared.protocol.adapters.base import parse_timestamp
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.versions import OcppVersion, profile_for


def test_zoned_timestamps_are_converted_to_utc():
    assert parse_timestamp("2026-11-24T12:00:00+02:00", "t") == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_timestamp_without_zone_is_read_as_utc():
    assert parse_timestamp("2026-11-24T10:00:00", "t") == datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_malformed_timestamp_is_a_property_constraint_violation():
    with pytest.raises(RpcError) as caught:
        parse_timestamp("yesterday", "timestamp")
    assert caught.value.kind is ErrorKind.PROPERTY_CONSTRAINT


T0 = datetime(2026, 11, 24, 10, tzinfo=UTC)


def answered(version, action, payload, response):
    return Command("c1", "CP1", version, action, payload, CommandStatus.COMPLETED, T0, 30, response=response)


def adapter(version):
    return profile_for(version).adapter


@pytest.mark.parametrize(
    ("version", "sent", "read"),
    [
        ("1.6", {"listVersion": 7, "updateType": "Full"}, {"listVersion": 9}),
        ("2.0.1", {"versionNumber": 7, "updateType": "Full"}, {"versionNumber": 9}),
        ("2.1", {"versionNumber": 7, "updateType": "Full"}, {"versionNumber": 9}),
    ],
)
def test_the_local_list_version_is_read_in_each_versions_own_words(version, sent, read):
    accepted = answered(version, "SendLocalList", sent, {"status": "Accepted"})
    assert adapter(version).local_list_version(accepted, {"status": "Accepted"}) == 7
    failed = answered(version, "SendLocalList", sent, {"status": "Failed"})
    assert adapter(version).local_list_version(failed, {"status": "Failed"}) is None
    asked = answered(version, "GetLocalListVersion", {}, read)
    assert adapter(version).local_list_version(asked, read) == 9


def test_2x_configuration_answers_keep_only_what_was_accepted():
    payload = {
        "setVariableData": [
            {
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
                "attributeValue": "60",
            },
            {
                "component": {"name": "AuthCtrlr", "evse": {"id": 1}},
                "variable": {"name": "Enabled"},
                "attributeValue": "x",
            },
        ]
    }
    response = {
        "setVariableResult": [
            {
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
                "attributeStatus": "Accepted",
            },
            {
                "component": {"name": "AuthCtrlr", "evse": {"id": 1}},
                "variable": {"name": "Enabled"},
                "attributeStatus": "Rejected",
            },
        ]
    }
    values = adapter(OcppVersion.V201).configuration_answer(
        answered("2.0.1", "SetVariables", payload, response), response
    )
    assert [(v.key, v.value) for v in values] == [("OCPPCommCtrlr/HeartbeatInterval", "60")]


def test_2x_report_values_name_instances_evses_and_attribute_types():
    report = {
        "requestId": 1,
        "generatedAt": "2026-11-24T10:00:00Z",
        "seqNo": 0,
        "reportData": [
            {
                "component": {"name": "Connector", "instance": "A", "evse": {"id": 1, "connectorId": 2}},
                "variable": {"name": "Available", "instance": "x"},
                "variableAttribute": [
                    {"type": "Actual", "value": "true", "mutability": "ReadOnly"},
                    {"type": "Target", "value": "false"},
                ],
            }
        ],
    }
    part = adapter("2.1").report_part(report)
    assert (part.request_id, part.seq_no, part.last) == (1, 0, True)
    assert [(v.key, v.value, v.readonly) for v in part.values] == [
        ("Connector:A@1.2/Available:x", "true", True),
        ("Connector:A@1.2/Available:x/Target", "false", None),
    ]


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


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e400", "1e999", "1e300"])
def test_a_16_reading_that_is_no_number_is_kept_as_text(text):
    report = adapter("1.6").meter_values_report(
        {
            "connectorId": 1,
            "meterValue": [{"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [{"value": text}]}],
        }
    )
    [sample] = report.meter_values[0].samples
    assert (sample.value, sample.raw) == (None, text)


def test_a_2x_multiplier_beyond_any_meter_keeps_what_was_sent():
    sampled = {"value": 5, "unitOfMeasure": {"unit": "Wh", "multiplier": 2**31}}
    report = adapter("2.0.1").meter_values_report(
        {"evseId": 1, "meterValue": [{"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [sampled]}]}
    )
    [sample] = report.meter_values[0].samples
    assert sample.value is None and sample.raw == f"5e{2**31}"


def test_a_2x_transaction_id_must_not_be_empty():
    payload = {
        "eventType": "Started",
        "timestamp": "2026-11-24T10:00:00Z",
        "triggerReason": "Authorized",
        "seqNo": 0,
        "transactionInfo": {"transactionId": ""},
    }
    with pytest.raises(RpcError) as caught:
        adapter("2.1").transaction_event(payload)
    assert caught.value.description.startswith("transactionInfo/transactionId")


# --- Maintenance ----------------------------------------------------------------------------

SIGNED = FirmwareUpdate(5, "https://f/x.bin", T0, 2, 60, T0, "-----BEGIN CERTIFICATE-----", "c2ln")
PLAIN = FirmwareUpdate(5, "https://f/x.bin", T0, 2, 60)


def valid(version, intent):
    """The intent as its version's schema takes it (raises otherwise)."""
    action, payload = intent
    framing.validate(Call("m1", action, payload), profile_for(version))
    return action, payload


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_firmware_updates_and_log_requests_are_each_versions_calls(version):
    plain_action, plain = valid(version, adapter(version).update_firmware(PLAIN))
    signed_action, signed = valid(version, adapter(version).update_firmware(SIGNED))
    diagnostics = LogRequest(7, LogType.DIAGNOSTICS, "https://csms/uploads/t", T0, T0, 1, 30)
    diag_action, diag = valid(version, adapter(version).get_log(diagnostics))
    security = LogRequest(8, LogType.SECURITY, "https://csms/uploads/u")
    security_action, security_payload = valid(version, adapter(version).get_log(security))
    assert (security_action, security_payload["logType"], security_payload["requestId"]) == (
        "GetLog",
        "SecurityLog",
        8,
    )
    if version == "1.6":
        assert plain_action == "UpdateFirmware" and plain == {
            "location": "https://f/x.bin",
            "retrieveDate": "2026-11-24T10:00:00.000Z",
            "retries": 2,
            "retryInterval": 60,
        }
        assert signed_action == "SignedUpdateFirmware" and signed["firmware"]["signature"] == "c2ln"
        assert diag_action == "GetDiagnostics" and diag["startTime"] == "2026-11-24T10:00:00.000Z"
    else:
        assert plain_action == signed_action == "UpdateFirmware"
        assert plain["requestId"] == 5 and "signature" not in plain["firmware"]
        assert signed["firmware"]["installDateTime"] == "2026-11-24T10:00:00.000Z"
        assert diag_action == "GetLog" and diag["logType"] == "DiagnosticsLog"
        assert diag["log"]["oldestTimestamp"] == "2026-11-24T10:00:00.000Z"


@pytest.mark.parametrize(
    ("version", "action", "payload", "response", "expected"),
    [
        (
            "1.6",
            "UpdateFirmware",
            {"location": "x", "retrieveDate": "t"},
            {},
            ("firmware", None, "Accepted", None),
        ),
        ("1.6", "GetDiagnostics", {"location": "x"}, {}, ("log", None, "NoDiagnostics", None)),
        (
            "1.6",
            "GetDiagnostics",
            {"location": "x"},
            {"fileName": "d.zip"},
            ("log", None, "Accepted", "d.zip"),
        ),
        (
            "1.6",
            "SignedUpdateFirmware",
            {"requestId": 4},
            {"status": "InvalidCertificate"},
            ("firmware", 4, "InvalidCertificate", None),
        ),
        (
            "2.0.1",
            "UpdateFirmware",
            {"requestId": 3},
            {"status": "Rejected"},
            ("firmware", 3, "Rejected", None),
        ),
        (
            "2.1",
            "GetLog",
            {"requestId": 6},
            {"status": "Accepted", "filename": "l.txt"},
            ("log", 6, "Accepted", "l.txt"),
        ),
        ("2.1", "Reset", {"type": "Immediate"}, {"status": "Accepted"}, None),
    ],
)
def test_answers_to_maintenance_calls_name_their_request(version, action, payload, response, expected):
    answer = adapter(version).maintenance_answer(answered(version, action, payload, response), response)
    got = None if answer is None else (answer.kind.value, answer.request_id, answer.status, answer.file_name)
    assert got == expected


def test_variable_monitors_are_2x_calls_and_1_6_has_none():
    monitor = Monitor("EVSE/Temperature", "UpperThreshold", 80, 4, evse_id=1)
    action, payload = valid("2.0.1", adapter("2.0.1").set_monitoring([monitor]))
    assert action == "SetVariableMonitoring"
    assert payload["setMonitoringData"][0]["variable"] == {"name": "Temperature"}
    valid("2.1", adapter("2.1").monitoring_report(9, ["DeltaMonitoring"]))
    with pytest.raises(CommandRefused):
        adapter("1.6").set_monitoring([monitor])


def test_a_security_event_is_keyed_by_its_time_and_type_and_flagged_when_critical():
    payload = {"type": "TamperDetectionActivated", "timestamp": "2026-11-24T12:00:00+02:00"}
    event = adapter("2.1").station_event("SecurityEventNotification", payload, T0)
    assert event.sort == "2026-11-24T10:00:00.000Z#TamperDetectionActivated" and event.critical
    assert (
        adapter("1.6")
        .station_event("SecurityEventNotification", {**payload, "type": "InvalidMessages"}, T0)
        .critical
        is False
    )


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_reservations_are_each_versions_calls_and_answers_name_them(version):
    from shared.domain.reservations import Reservation, ReservationState

    reservation = Reservation(
        41,
        "CP1",
        "TAG1",
        T0,
        ReservationState.PENDING,
        T0,
        T0,
        connector_id=2,
        evse_id=2,
        parent_id_token="GROUP",
    )
    action, payload = valid(version, adapter(version).reserve(reservation))
    cancel_action, cancel = valid(version, adapter(version).cancel_reservation(41))
    assert (action, cancel_action, cancel) == ("ReserveNow", "CancelReservation", {"reservationId": 41})
    id_field = "reservationId" if version == "1.6" else "id"
    assert payload[id_field] == 41
    answer = answered(version, "ReserveNow", payload, {"status": "Occupied"})
    assert adapter(version).reservation_answer(answer, {"status": "Occupied"}) == (41, "Occupied")
    if version == "1.6":
        assert payload["connectorId"] == 2 and payload["parentIdTag"] == "GROUP"
    else:
        assert payload["evseId"] == 2 and payload["groupIdToken"]["idToken"] == "GROUP"
