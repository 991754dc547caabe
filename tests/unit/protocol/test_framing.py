import json

import pytest
from ocpp.messages import Call, CallError, CallResult

from shared.protocol import framing
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.versions import PROFILES, OcppVersion

V16, V201, V21 = (PROFILES[v] for v in (OcppVersion.V16, OcppVersion.V201, OcppVersion.V21))
LIMIT = 128 * 1024


def error_of(text, profile):
    with pytest.raises(RpcError) as caught:
        framing.parse(text, profile, LIMIT)
    return caught.value


def wire_error(text, profile):
    return json.loads(framing.call_error(profile, error_of(text, profile)))


@pytest.mark.parametrize(
    ("profile", "code"), [(V16, "FormationViolation"), (V201, "FormatViolation"), (V21, "FormatViolation")]
)
@pytest.mark.parametrize("text", ["not json", "{}", "[]", '{"a": 1}', '"string"', b"\xff\xfe"])
def test_frames_that_are_not_a_json_array_get_the_versions_format_error_with_id_minus_one(
    profile, code, text
):
    assert wire_error(text, profile)[:3] == [4, "-1", code]


def test_an_unreadable_message_id_is_answered_with_minus_one():
    assert wire_error('[2, 17, "Heartbeat", {}]', V201)[:3] == [4, "-1", "RpcFrameworkError"]
    assert wire_error('[2, 17, "Heartbeat", {}]', V16)[:3] == [4, "-1", "FormationViolation"]


def test_a_message_id_longer_than_ocpp_j_allows_is_refused_with_its_id():
    long_id = "x" * 1000
    frame = f'[2, "{long_id}", "DataTransfer", {{"vendorId": "V"}}]'
    assert wire_error(frame, V201)[:3] == [4, long_id, "RpcFrameworkError"]
    assert wire_error(frame, V16)[:3] == [4, long_id, "FormationViolation"]
    assert error_of(f'[3, "{long_id}", {{}}]', V201).never_answered
    assert framing.parse(f'[2, "{"x" * 36}", "Heartbeat", {{}}]', V201, LIMIT).unique_id == "x" * 36


def test_an_unknown_message_type_keeps_the_message_id_when_it_can_be_read():
    assert wire_error('[9, "abc", "Heartbeat", {}]', V201)[:3] == [4, "abc", "MessageTypeNotSupported"]
    assert wire_error('[9, "abc", "Heartbeat", {}]', V16)[:3] == [4, "abc", "FormationViolation"]


def test_send_and_callresulterror_exist_only_in_ocpp_2_1():
    assert isinstance(framing.parse('[6, "s1", "NotifyPeriodicEventStream", {}]', V21, LIMIT), framing.Send)
    assert isinstance(
        framing.parse('[5, "r1", "GenericError", "bad", {}]', V21, LIMIT), framing.CallResultError
    )
    assert wire_error('[6, "s1", "NotifyPeriodicEventStream", {}]', V201)[2] == "MessageTypeNotSupported"


def test_a_call_with_missing_elements_or_a_non_object_payload_is_refused():
    assert wire_error('[2, "a", "Heartbeat"]', V201)[:3] == [4, "a", "RpcFrameworkError"]
    assert wire_error('[2, "a", "Heartbeat", []]', V201)[:3] == [4, "a", "FormatViolation"]
    assert wire_error('[2, "a", "Heartbeat", []]', V16)[:3] == [4, "a", "FormationViolation"]


def test_malformed_answers_are_marked_so_that_they_are_never_answered():
    assert error_of('[3, "a"]', V16).never_answered
    assert error_of('[4, "a", "X"]', V201).never_answered
    assert not error_of('[2, "a", "Heartbeat"]', V201).never_answered


def test_frames_over_the_size_limit_are_refused_before_parsing():
    text = json.dumps([2, "a", "DataTransfer", {"vendorId": "v", "data": "x" * 200}])
    with pytest.raises(RpcError) as caught:
        framing.parse(text, V16, max_bytes=100)
    assert caught.value.kind is ErrorKind.FORMAT
    assert "exceeds" in caught.value.description
    assert caught.value.message_id == "a"


def test_well_formed_frames_become_the_ocpp_packages_message_classes():
    call = framing.parse('[2, "m1", "Heartbeat", {}]', V201, LIMIT)
    assert isinstance(call, Call) and (call.unique_id, call.action, call.payload) == ("m1", "Heartbeat", {})
    result = framing.parse('[3, "m2", {"status": "Accepted"}]', V201, LIMIT)
    assert isinstance(result, CallResult) and result.payload == {"status": "Accepted"}


def test_callerror_details_sent_as_a_json_string_are_read_as_an_object():
    error = framing.parse('[4, "m3", "InternalError", "boom", "{\\"reason\\": \\"x\\"}"]', V16, LIMIT)
    assert isinstance(error, CallError) and error.error_details == {"reason": "x"}
    plain = framing.parse('[4, "m4", "InternalError", "boom", "not json"]', V16, LIMIT)
    assert plain.error_details == {"text": "not json"}


def validation_error(profile, action, payload):
    with pytest.raises(RpcError) as caught:
        framing.validate(Call("id9", action, payload), profile)
    return json.loads(framing.call_error(profile, caught.value))


def test_a_missing_required_field_is_an_occurrence_violation_spelled_as_each_version_spells_it():
    assert validation_error(V16, "StatusNotification", {"connectorId": 1, "status": "Available"})[2] == (
        "OccurenceConstraintViolation"
    )
    assert (
        validation_error(V201, "BootNotification", {"reason": "PowerUp"})[2]
        == "OccurrenceConstraintViolation"
    )


def test_a_wrong_type_is_a_type_constraint_violation():
    payload = {"connectorId": "one", "errorCode": "NoError", "status": "Available"}
    error = validation_error(V16, "StatusNotification", payload)
    assert error[:3] == [4, "id9", "TypeConstraintViolation"]
    assert error[4] == {"path": "connectorId"}


def test_a_value_outside_an_enumeration_is_a_property_constraint_violation():
    payload = {"connectorId": 1, "errorCode": "NoError", "status": "Sleeping"}
    assert validation_error(V16, "StatusNotification", payload)[2] == "PropertyConstraintViolation"


def test_an_unknown_field_is_a_format_violation():
    assert validation_error(V201, "Heartbeat", {"extra": 1})[2] == "FormatViolation"
    assert validation_error(V16, "Heartbeat", {"extra": 1})[2] == "FormationViolation"


def test_error_descriptions_are_cut_to_the_255_characters_ocpp_allows():
    wire = json.loads(framing.call_error(V201, RpcError(ErrorKind.GENERIC, "x" * 1000, message_id="a")))
    assert len(wire[3]) == 255


@pytest.mark.parametrize(
    ("number", "where"),
    [
        ("NaN", "meterStart"),
        ("Infinity", "meterStart"),
        ("-Infinity", "meterStart"),
        ("1e999", "meterStart"),
        ("1e400", "meterStart"),
        ("123456789012345678901234567890", "meterStart"),
        ("1e-300", "meterStart"),
    ],
)
def test_numbers_no_ocpp_field_can_hold_are_refused_naming_the_field(number, where):
    payload = f'{{"connectorId": 1, "idTag": "T", "timestamp": "x", "meterStart": {number}}}'
    text = f'[2, "m1", "StartTransaction", {payload}]'
    error = wire_error(text, V16)
    assert error[:3] == [4, "m1", "PropertyConstraintViolation"] and error[3].startswith(f"{where}:")


def test_a_refused_number_deep_in_a_payload_is_named_by_its_path():
    value = '{"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [{"value": NaN}]}'
    text = f'[2, "m2", "MeterValues", {{"evseId": 1, "meterValue": [{value}]}}]'
    assert wire_error(text, V201)[3].startswith("meterValue/0/sampledValue/0/value:")


def test_numbers_ocpp_can_hold_pass():
    text = '[2, "m3", "Heartbeat", {"a": 0, "b": -2.5, "c": 9223372036854775807, "d": 1e-6}]'
    assert framing.parse(text, V201, LIMIT).payload == {"a": 0, "b": -2.5, "c": 2**63 - 1, "d": 1e-6}


def test_frames_nested_too_deeply_get_a_format_error_not_a_crash():
    assert wire_error("[" * 20_000 + "]" * 20_000, V16)[:3] == [4, "-1", "FormationViolation"]


def test_a_call_nested_too_deeply_is_answered_with_its_own_id_when_it_can_be_read():
    deep = '{"a": ' * 10_000 + "1" + "}" * 10_000  # within the size limit
    assert wire_error(f'[2, "d1", "Heartbeat", {deep}]', V201)[:3] == [4, "d1", "FormatViolation"]
    assert wire_error(f' [ 2 ,"d\\"2", "Heartbeat", {deep}]', V16)[:3] == [4, 'd"2', "FormationViolation"]
    assert wire_error(f'[2, 17, "Heartbeat", {deep}]', V201)[:2] == [4, "-1"]
    assert error_of(f'[3, "r1", {deep}]', V201).never_answered


def test_a_lone_surrogate_is_a_format_error():
    assert wire_error('[2, "s1", "Authorize", {"idTag": "\\ud800"}]', V16)[:3] == [
        4,
        "s1",
        "FormationViolation",
    ]


@pytest.mark.parametrize("text", ['[6, "x"]', '[6, "x", "Heartbeat"]', '[6, "x", "Heartbeat", []]', "[6]"])
def test_a_malformed_send_is_never_answered(text):
    assert error_of(text, V21).never_answered


def test_a_send_is_a_message_type_1_6_and_2_0_1_do_not_have():
    assert wire_error('[6, "x", "Heartbeat", {}]', V201)[:3] == [4, "x", "MessageTypeNotSupported"]
