import pytest

from shared.domain.maintenance import FirmwareUpdate
from shared.protocol.firmware_management import firmware_management_codec
from shared.protocol.versions import profile_for
from tests.unit.protocol.wire import T0, answered, valid

SIGNED = FirmwareUpdate(5, "https://f/x.bin", T0, 2, 60, T0, "-----BEGIN CERTIFICATE-----", "c2ln")
PLAIN = FirmwareUpdate(5, "https://f/x.bin", T0, 2, 60)


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_firmware_updates_are_each_versions_calls(version):
    codec = firmware_management_codec(profile_for(version))
    plain_action, plain = valid(version, codec.update_firmware(PLAIN))
    signed_action, signed = valid(version, codec.update_firmware(SIGNED))
    if version == "1.6":
        assert plain_action == "UpdateFirmware" and plain == {
            "location": "https://f/x.bin",
            "retrieveDate": "2026-11-24T10:00:00.000Z",
            "retries": 2,
            "retryInterval": 60,
        }
        assert signed_action == "SignedUpdateFirmware" and signed["firmware"]["signature"] == "c2ln"
    else:
        assert plain_action == signed_action == "UpdateFirmware"
        assert plain["requestId"] == 5 and "signature" not in plain["firmware"]
        assert signed["firmware"]["installDateTime"] == "2026-11-24T10:00:00.000Z"


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
        ("2.1", "GetLog", {"requestId": 6}, {"status": "Accepted"}, None),
        ("2.1", "Reset", {"type": "Immediate"}, {"status": "Accepted"}, None),
    ],
)
def test_answers_to_firmware_updates_name_their_request(version, action, payload, response, expected):
    codec = firmware_management_codec(profile_for(version))
    answer = codec.firmware_answer(answered(version, action, payload, response), response)
    got = None if answer is None else (answer.kind.value, answer.request_id, answer.status, answer.file_name)
    assert got == expected
