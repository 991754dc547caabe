import pytest

from shared.protocol.versions import PROFILES, OcppVersion, negotiate


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        ("ocpp1.6", OcppVersion.V16),
        ("ocpp1.6, ocpp2.0.1", OcppVersion.V201),
        (["ocpp1.6", "ocpp2.1,ocpp2.0.1"], OcppVersion.V21),
        ("OCPP2.0.1", None),  # names are case-sensitive: it could not be answered as offered
        ("ocpp1.5, ocpp2.0", OcppVersion.V20),
        ("ocpp2.0, ocpp1.6", OcppVersion.V16),  # 2.0 only when nothing else is offered
        ("ocpp2.0,ocpp2.0.1", OcppVersion.V201),
        ("ocpp1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_the_newest_offered_version_wins_and_2_0_comes_last(offered, chosen):
    assert negotiate(offered) == chosen


def test_action_sets_come_from_the_packages_schemas_and_split_by_direction():
    v16 = PROFILES[OcppVersion.V16]
    assert {"BootNotification", "RemoteStartTransaction", "SignCertificate"} <= v16.actions
    assert "TransactionEvent" not in v16.actions
    assert "RemoteStartTransaction" in v16.from_csms and "StartTransaction" not in v16.from_csms
    assert "DataTransfer" in v16.from_csms and "DataTransfer" in v16.from_charge_point
    v21 = PROFILES[OcppVersion.V21]
    assert "RequestBatterySwap" in v21.from_csms and "BatterySwap" in v21.from_charge_point
    for profile in PROFILES.values():
        assert profile.from_charge_point <= profile.actions, profile.version


def test_2_0_is_read_with_the_2_0_1_schemas_and_answers_with_its_own_subprotocol():
    v20 = PROFILES[OcppVersion.V20]
    assert v20.subprotocol == "ocpp2.0"
    assert v20.schemas is OcppVersion.V201
    assert v20.actions == PROFILES[OcppVersion.V201].actions
    assert v20.request_schema("Reset")["properties"].keys() >= {"type", "evseId"}
