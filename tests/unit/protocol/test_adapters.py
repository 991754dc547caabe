from datetime import UTC, datetime

import pytest

from shared.domain.commands import Command, CommandStatus
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
