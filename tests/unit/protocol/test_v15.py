"""OCPP 1.5's messages as 1.6's payloads and back: each value 1.6 renamed, mapped explicitly."""

import xml.etree.ElementTree as ET

import pytest

from shared.protocol import soap, v15

CS = soap.CS_NS


def element(xml: str) -> ET.Element:
    return ET.fromstring(f'<r xmlns="{CS}">{xml}</r>')


@pytest.mark.parametrize(
    ("status", "error", "as_16"),
    [
        ("Occupied", "Mode3Error", ("Charging", "EVCommunicationError")),
        ("Available", "NoError", ("Available", "NoError")),
        ("Faulted", "GroundFailure", ("Faulted", "GroundFailure")),
        ("Reserved", "WeakSignal", ("Reserved", "WeakSignal")),
    ],
)
def test_status_values_16_renamed_are_mapped(status, error, as_16):
    read = v15.read_request(
        "StatusNotification",
        element(f"<connectorId>1</connectorId><status>{status}</status><errorCode>{error}</errorCode>"),
    )
    assert read == {"connectorId": 1, "status": as_16[0], "errorCode": as_16[1]}


def test_meter_values_become_16s_sampled_values_with_its_unit_names():
    read = v15.read_request(
        "MeterValues",
        element(
            "<connectorId>1</connectorId><transactionId>7</transactionId>"
            "<values><timestamp>2024-01-01T10:00:00Z</timestamp>"
            '<value measurand="Energy.Active.Import.Register" unit="Wh" context="Sample.Periodic">'
            "1500</value>"
            '<value measurand="Current.Import" unit="Amp">16</value>'
            '<value measurand="Voltage" unit="Volt" location="Outlet">230</value></values>'
        ),
    )
    assert read == {
        "connectorId": 1,
        "transactionId": 7,
        "meterValue": [
            {
                "timestamp": "2024-01-01T10:00:00Z",
                "sampledValue": [
                    {
                        "value": "1500",
                        "context": "Sample.Periodic",
                        "measurand": "Energy.Active.Import.Register",
                        "unit": "Wh",
                    },
                    {"value": "16", "measurand": "Current.Import", "unit": "A"},
                    {"value": "230", "measurand": "Voltage", "location": "Outlet", "unit": "V"},
                ],
            }
        ],
    }


def test_a_stops_transaction_data_is_16s_flat_list_of_meter_values():
    read = v15.read_request(
        "StopTransaction",
        element(
            "<transactionId>7</transactionId><idTag>TAG</idTag><timestamp>2024-01-01T11:00:00Z</timestamp>"
            "<meterStop>2500</meterStop>"
            "<transactionData><values><timestamp>2024-01-01T10:00:00Z</timestamp><value>1000</value></values></transactionData>"
            "<transactionData><values><timestamp>2024-01-01T11:00:00Z</timestamp><value>2500</value></values></transactionData>"
        ),
    )
    assert read["transactionId"] == 7 and read["meterStop"] == 2500 and "reason" not in read
    assert [m["sampledValue"][0]["value"] for m in read["transactionData"]] == ["1000", "2500"]


def test_an_integer_that_is_no_integer_stays_text_for_the_schema_to_refuse():
    assert (
        v15.read_request("StartTransaction", element("<connectorId>one</connectorId>"))["connectorId"]
        == "one"
    )


def test_the_boot_answer_names_the_interval_as_15_does_and_has_no_pending():
    answer = v15.write_answer(
        "BootNotification", {"currentTime": "2024-01-01T10:00:00Z", "interval": 300, "status": "Pending"}, CS
    )
    assert answer.tag == f"{{{CS}}}bootNotificationResponse"
    assert [(child.tag.rpartition("}")[2], child.text) for child in answer] == [
        ("status", "Rejected"),
        ("currentTime", "2024-01-01T10:00:00Z"),
        ("heartbeatInterval", "300"),
    ]


def test_an_id_tag_info_is_written_in_the_wsdls_order():
    answer = v15.write_answer(
        "StartTransaction", {"idTagInfo": {"parentIdTag": "P", "status": "Accepted"}, "transactionId": 3}, CS
    )
    assert [child.tag.rpartition("}")[2] for child in answer] == ["transactionId", "idTagInfo"]
    assert [child.tag.rpartition("}")[2] for child in answer[1]] == ["status", "parentIdTag"]


def test_a_local_list_is_15s_localAuthorisationList():
    call = v15.write_call(
        "SendLocalList",
        {
            "listVersion": 2,
            "updateType": "Full",
            "localAuthorizationList": [{"idTagInfo": {"status": "Accepted"}, "idTag": "A"}],
        },
        soap.CP_NS,
    )
    assert [child.tag.rpartition("}")[2] for child in call] == [
        "updateType",
        "listVersion",
        "localAuthorisationList",
    ]
    assert [child.tag.rpartition("}")[2] for child in call[2]] == ["idTag", "idTagInfo"]


def test_what_15_cannot_carry_is_refused():
    with pytest.raises(ValueError, match="chargingProfile"):
        v15.write_call("RemoteStartTransaction", {"idTag": "A", "chargingProfile": {}}, soap.CP_NS)
    with pytest.raises(ValueError, match=r"no OCPP 1\.5 call"):
        v15.write_call("SetChargingProfile", {}, soap.CP_NS)


@pytest.mark.parametrize(
    ("action", "status", "as_16"),
    [
        ("UnlockConnector", "Accepted", "Unlocked"),
        ("UnlockConnector", "Rejected", "UnlockFailed"),
        ("SendLocalList", "HashError", "Failed"),
        ("SendLocalList", "VersionMismatch", "VersionMismatch"),
        ("RemoteStartTransaction", "Accepted", "Accepted"),
    ],
)
def test_answers_15_words_otherwise_are_read_as_16s(action, status, as_16):
    assert v15.read_answer(action, element(f"<status>{status}</status>")) == {"status": as_16}


def test_a_configuration_answer_is_read_with_its_lists_and_booleans():
    read = v15.read_answer(
        "GetConfiguration",
        element(
            "<configurationKey><key>HeartbeatInterval</key><readonly>false</readonly><value>300</value></configurationKey>"
            "<unknownKey>Nope</unknownKey>"
        ),
    )
    assert read == {
        "configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}],
        "unknownKey": ["Nope"],
    }


def test_element_names_and_actions():
    assert v15.action_of("bootNotificationRequest", "Request") == "BootNotification"
    assert v15.action_of("Request", "Request") is None
    assert v15.element_name("RemoteStartTransaction", "Request") == "remoteStartTransactionRequest"
