import pytest

from shared.protocol.configuration import configuration_codec
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.versions import profile_for
from tests.unit.protocol.wire import answered


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
    values = configuration_codec(profile_for("2.0.1")).configuration_answer(
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
    part = configuration_codec(profile_for("2.1")).report_part(report)
    assert (part.request_id, part.seq_no, part.last) == (1, 0, True)
    assert [(v.key, v.value, v.readonly) for v in part.values] == [
        ("Connector:A@1.2/Available:x", "true", True),
        ("Connector:A@1.2/Available:x/Target", "false", None),
    ]


def test_a_report_part_beyond_any_report_is_refused():
    part = {"requestId": 1, "generatedAt": "2026-11-24T10:00:00Z", "seqNo": 2147483647, "tbc": False}
    with pytest.raises(RpcError) as caught:
        configuration_codec(profile_for("2.0.1")).report_part(part)
    assert caught.value.kind is ErrorKind.PROPERTY_CONSTRAINT
