import pytest

from shared.protocol.versions import PROFILES, OcppVersion, negotiate


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        ("ocpp1.6", OcppVersion.V16),
        ("ocpp1.6, ocpp2.0.1", OcppVersion.V201),
        (["ocpp1.6", "ocpp2.1,ocpp2.0.1"], OcppVersion.V21),
        ("OCPP2.0.1", None),  # names are case-sensitive: it could not be answered as offered
        ("ocpp1.5, ocpp2.0", None),
        ("", None),
        (None, None),
    ],
)
def test_the_newest_offered_version_wins(offered, chosen):
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
