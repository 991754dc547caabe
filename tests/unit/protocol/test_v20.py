"""OCPP 2.0 payloads read as 2.0.1's and 2.0.1's written as 2.0's: each rule, and that what it
reads passes the 2.0.1 schema the CSMS validates with."""

import pytest
from ocpp.messages import Call, CallResult

from shared.protocol import framing, v20
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.versions import PROFILES, OcppVersion

V20 = PROFILES[OcppVersion.V20]
CALL, CALLRESULT = 2, 3
TOKEN = {"idToken": "TAG-1", "type": "ISO14443"}


def read_call(action, payload):
    """Read as the router reads a 2.0 call: mapped, then checked against the 2.0.1 schema."""
    mapped = framing.from_wire(V20, action, CALL, payload)
    framing.validate(Call("m-1", action, mapped), V20)
    return mapped


def read_answer(action, payload, request=None):
    mapped = framing.from_wire(V20, action, CALLRESULT, payload, request)
    framing.validate(CallResult("m-1", mapped), V20, action)
    return mapped


def write_call(action, payload):
    framing.validate(Call("m-1", action, payload), V20)  # what the CSMS keeps is 2.0.1's
    return framing.to_wire(V20, action, CALL, payload)


def test_a_transaction_event_names_its_transaction_in_transaction_info():
    mapped = read_call(
        "TransactionEvent",
        {
            "eventType": "Started",
            "timestamp": "2026-11-24T10:00:00Z",
            "triggerReason": "Authorized",
            "seqNo": 0,
            "cableMaxCurrent": 31.5,
            "transactionData": {"id": "tx-1", "chargingState": "Charging", "remoteStartId": 7},
        },
    )
    assert "transactionData" not in mapped
    assert mapped["transactionInfo"] == {
        "transactionId": "tx-1",
        "chargingState": "Charging",
        "remoteStartId": 7,
    }
    assert mapped["cableMaxCurrent"] == 32


def test_a_signed_meter_value_keeps_its_data_and_signature():
    sample = {
        "value": 12.5,
        "signedMeterValue": {
            "encodedMeterValue": "ZGF0YQ==",
            "meterValueSignature": "c2ln",
            "signatureMethod": "ECDSA192SHA256",
            "encodingMethod": "EDL",
        },
    }
    mapped = read_call(
        "MeterValues",
        {"evseId": 1, "meterValue": [{"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [sample]}]},
    )
    signed = mapped["meterValue"][0]["sampledValue"][0]["signedMeterValue"]
    assert signed == {
        "signedMeterData": "ZGF0YQ==",
        "signingMethod": "ECDSA192SHA256",
        "encodingMethod": "EDL",
        "publicKey": "",
        "customData": {"vendorId": v20.VENDOR_ID, "meterValueSignature": "c2ln"},
    }


def test_authorize_renames_the_certificate_hashes_and_leaves_out_what_2_0_1_cannot_hold():
    hashes = {"hashAlgorithm": "SHA256", "issuerNameHash": "a", "issuerKeyHash": "b", "serialNumber": "1"}
    mapped = read_call(
        "Authorize",
        {
            "idToken": TOKEN,
            "evseId": [1, 2],
            "15118CertificateHashData": [{**hashes, "responderURL": "http://ocsp"}, hashes],
        },
    )
    assert mapped == {
        "idToken": TOKEN,
        "iso15118CertificateHashData": [{**hashes, "responderURL": "http://ocsp"}],
    }


@pytest.mark.parametrize(
    ("status", "read_as"),
    [
        ("CertificateVerified", "SignatureVerified"),
        ("InvalidCertificate", "InvalidSignature"),
        ("RevokedCertificate", "InvalidSignature"),
        ("PublishFailed", "DownloadFailed"),
        ("Installed", "Installed"),
    ],
)
def test_firmware_statuses_2_0_1_dropped_become_the_status_of_the_same_step(status, read_as):
    assert read_call("FirmwareStatusNotification", {"status": status, "requestId": 3})["status"] == read_as


def test_an_event_says_which_monitor_fired_and_what_kind_it_is():
    base = {
        "eventId": 1,
        "timestamp": "2026-11-24T10:00:00Z",
        "trigger": "Alerting",
        "actualValue": "90",
        "component": {"name": "EVSE"},
        "variable": {"name": "Temperature"},
        "eventNotificationType": None,
    }
    monitored = {k: v for k, v in base.items() if k != "eventNotificationType"} | {
        "cleared": False,
        "variableMonitoringEvent": {
            "id": 4,
            "severity": 2,
            "transaction": False,
            "type": "UpperThreshold",
            "value": 80,
        },
    }
    plain = {k: v for k, v in base.items() if k != "eventNotificationType"} | {"eventId": 2}
    mapped = read_call(
        "NotifyEvent",
        {"generatedAt": "2026-11-24T10:00:00Z", "seqNo": 0, "tbc": False, "eventData": [monitored, plain]},
    )
    first, second = mapped["eventData"]
    assert (first["variableMonitoringId"], first["eventNotificationType"]) == (4, "CustomMonitor")
    assert "variableMonitoringEvent" not in first
    assert second["eventNotificationType"] == "HardWiredNotification"


def test_a_report_without_request_id_names_none_and_attributes_are_persistent():
    mapped = read_call(
        "NotifyReport",
        {
            "generatedAt": "2026-11-24T10:00:00Z",
            "seqNo": 0,
            "tbc": False,
            "reportData": [
                {
                    "component": {"name": "OCPPCommCtrlr"},
                    "variable": {"name": "HeartbeatInterval"},
                    "variableAttribute": [{"value": "300", "persistence": True, "constant": False}],
                }
            ],
        },
    )
    assert mapped["requestId"] == v20.NO_REQUEST_ID
    assert mapped["reportData"][0]["variableAttribute"] == [
        {"value": "300", "persistent": True, "constant": False}
    ]


def test_a_reported_profile_holds_its_one_schedule_in_a_list():
    schedule = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}
    mapped = read_call(
        "ReportChargingProfiles",
        {
            "requestId": 5,
            "chargingLimitSource": "CSO",
            "evseId": 1,
            "tbc": False,
            "chargingProfile": [
                {
                    "id": 9,
                    "stackLevel": 0,
                    "primary": True,
                    "chargingProfilePurpose": "TxDefaultProfile",
                    "chargingProfileKind": "Absolute",
                    "chargingSchedule": schedule,
                }
            ],
        },
    )
    assert mapped["chargingProfile"][0]["chargingSchedule"] == [{"id": 9, **schedule}]
    assert "primary" not in mapped["chargingProfile"][0]


def test_ev_needs_name_the_energy_transfer_by_phases_and_publish_locations_are_a_list():
    needs = read_call(
        "NotifyEVChargingNeeds", {"evseId": 1, "chargingNeeds": {"requestedEnergyTransfer": "DC_extended"}}
    )
    assert needs["chargingNeeds"]["requestedEnergyTransfer"] == "DC"
    published = read_call(
        "PublishFirmwareStatusNotification", {"status": "Published", "location": "http://fw"}
    )
    assert published["location"] == ["http://fw"]


def test_sign_certificate_names_its_type_as_2_0_1_does():
    mapped = read_call("SignCertificate", {"csr": "CSR", "typeOfCertificate": "V2GCertificate"})
    assert mapped == {"csr": "CSR", "certificateType": "V2GCertificate"}


def test_a_certificate_status_request_without_a_responder_is_refused():
    with pytest.raises(RpcError) as refused:
        read_call(
            "GetCertificateStatus",
            {
                "ocspRequestData": {
                    "hashAlgorithm": "SHA256",
                    "issuerNameHash": "a",
                    "issuerKeyHash": "b",
                    "serialNumber": "1",
                }
            },
        )
    assert refused.value.kind is ErrorKind.OCCURRENCE_CONSTRAINT


def test_unchanged_messages_pass_as_they_are():
    boot = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}
    assert framing.from_wire(V20, "BootNotification", CALL, boot) is boot


def test_answers_to_the_csms_read_as_2_0_1():
    composite = read_answer(
        "GetCompositeSchedule",
        {
            "status": "Accepted",
            "evseId": 1,
            "schedule": {
                "startDateTime": "2026-11-24T10:00:00Z",
                "chargingSchedule": {
                    "chargingRateUnit": "A",
                    "duration": 600,
                    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
                },
            },
        },
        {"duration": 600, "evseId": 1},
    )
    assert composite["schedule"] == {
        "evseId": 1,
        "duration": 600,
        "scheduleStart": "2026-11-24T10:00:00Z",
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
    }
    hashes = {"hashAlgorithm": "SHA256", "issuerNameHash": "a", "issuerKeyHash": "b", "serialNumber": "1"}
    installed = read_answer(
        "GetInstalledCertificateIds",
        {"status": "Accepted", "certificateHashData": [hashes]},
        {"certificateType": ["CSMSRootCertificate"]},
    )
    assert installed["certificateHashDataChain"] == [
        {"certificateType": "CSMSRootCertificate", "certificateHashData": hashes}
    ]
    assert read_answer("InstallCertificate", {"status": "CertificateExpired"}) == {"status": "Rejected"}
    variables = read_answer(
        "SetVariables",
        {
            "setVariableResult": [
                {"attributeStatus": "OutOfRange", "component": {"name": "C"}, "variable": {"name": "V"}}
            ]
        },
    )
    assert variables["setVariableResult"][0]["attributeStatus"] == "Rejected"


def test_calls_of_the_csms_are_written_as_2_0_words_them():
    assert write_call("ChangeAvailability", {"operationalStatus": "Inoperative", "evse": {"id": 2}}) == {
        "operationalStatus": "Inoperative",
        "evseId": 2,
    }
    assert write_call("ChangeAvailability", {"operationalStatus": "Operative"})["evseId"] == 0
    reserve = write_call(
        "ReserveNow",
        {
            "id": 3,
            "expiryDateTime": "2026-11-24T11:00:00Z",
            "idToken": TOKEN,
            "evseId": 1,
            "connectorType": "cType2",
        },
    )
    assert reserve == {
        "idToken": TOKEN,
        "reservation": {
            "id": 3,
            "expiryDateTime": "2026-11-24T11:00:00Z",
            "evse": {"id": 1},
            "connectorCode": "cType2",
        },
    }
    start = write_call(
        "RequestStartTransaction",
        {
            "remoteStartId": 1,
            "idToken": TOKEN,
            "groupIdToken": TOKEN,
            "chargingProfile": {
                "id": 1,
                "stackLevel": 0,
                "chargingProfilePurpose": "TxProfile",
                "chargingProfileKind": "Relative",
                "chargingSchedule": [
                    {
                        "id": 1,
                        "chargingRateUnit": "A",
                        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
                    }
                ],
            },
        },
    )
    assert "groupIdToken" not in start
    assert start["chargingProfile"]["chargingSchedule"] == {
        "chargingRateUnit": "A",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
    }
    cleared = write_call(
        "ClearChargingProfile",
        {"chargingProfileId": 4, "chargingProfileCriteria": {"evseId": 1, "stackLevel": 2}},
    )
    assert cleared == {"chargingProfile": {"id": 4, "stackLevel": 2}, "evseId": 1}
    pem = "-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----"
    signed = write_call(
        "CertificateSigned",
        {"certificateChain": f"{pem}\n{pem}", "certificateType": "ChargingStationCertificate"},
    )
    assert signed == {"cert": [pem, pem], "typeOfCertificate": "ChargingStationCertificate"}
    ids = write_call("GetInstalledCertificateIds", {"certificateType": ["V2GRootCertificate"]})
    assert ids == {"typeOfCertificate": "V2GRootCertficate"}  # 2.0's own spelling
    assert write_call(
        "PublishFirmware", {"location": "http://fw", "checksum": "c", "requestId": 1, "retryInterval": 5}
    ) == {"location": "http://fw", "checksum": "c"}


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("Reset", {"type": "Immediate", "evseId": 1}),
        ("ChangeAvailability", {"operationalStatus": "Operative", "evse": {"id": 1, "connectorId": 1}}),
        (
            "RequestStartTransaction",
            {"remoteStartId": 1, "idToken": {"idToken": "AA:BB", "type": "MacAddress"}},
        ),
        ("TriggerMessage", {"requestedMessage": "PublishFirmwareStatusNotification"}),
        ("SetMonitoringBase", {"monitoringBase": "HardWiredOnly"}),
        ("GetInstalledCertificateIds", {"certificateType": ["V2GRootCertificate", "MORootCertificate"]}),
        ("GetReport", {"requestId": 1, "componentVariable": [{"component": {"name": "EVSE"}}]}),
    ],
)
def test_a_call_2_0_cannot_say_is_refused(action, payload):
    with pytest.raises(RpcError, match=r"OCPP 2\.0 cannot say this"):
        write_call(action, payload)


def test_answers_to_a_2_0_station_leave_out_what_2_0_lacks():
    authorized = framing.to_wire(
        V20, "Authorize", CALLRESULT, {"idTokenInfo": {"status": "Accepted", "evseId": [1]}}
    )
    assert authorized == {"idTokenInfo": {"status": "Accepted"}, "evseId": [1]}
    event = framing.to_wire(
        V20, "TransactionEvent", CALLRESULT, {"idTokenInfo": {"status": "Accepted", "evseId": [1]}}
    )
    assert event == {"idTokenInfo": {"status": "Accepted"}}
    boot = {
        "currentTime": "2026-11-24T10:00:00Z",
        "interval": 300,
        "status": "Pending",
        "statusInfo": {"reasonCode": "Busy"},
    }
    assert framing.to_wire(V20, "BootNotification", CALLRESULT, boot) == {
        k: v for k, v in boot.items() if k != "statusInfo"
    }
    assert framing.to_wire(V20, "GetCertificateStatus", CALLRESULT, {"status": "Failed"}) == {
        "status": "Rejected"
    }


def test_each_difference_met_is_logged_by_kind(monkeypatch):
    logged = []
    monkeypatch.setattr(v20.logger, "info", lambda message, extra: logged.append((message, extra)))
    framing.from_wire(V20, "Authorize", CALL, {"idToken": TOKEN, "evseId": [1]})
    framing.from_wire(V20, "BootNotification", CALL, {"reason": "PowerUp", "chargingStation": {}})
    assert logged == [
        (
            "OCPP 2.0 differences mapped",
            {"action": "Authorize", "direction": "read", "differences": ["AUTHORIZE_EVSE_IDS_DROPPED"]},
        )
    ]


def test_other_versions_are_never_mapped():
    payload = {"transactionData": {"id": "x"}}
    assert framing.from_wire(PROFILES[OcppVersion.V201], "TransactionEvent", CALL, payload) is payload
