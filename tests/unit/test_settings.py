import pytest

from shared.settings import Settings, SettingsError

BASE = {"CSMS_API_TOKEN": "0123456789abcdef0123"}


def test_defaults_follow_the_design():
    settings = Settings.from_env(BASE)
    assert settings.heartbeat_interval_s == 540
    assert settings.admission == "registered"
    assert settings.max_message_bytes == 128 * 1024


@pytest.mark.parametrize("interval", ["600", "0", "-5", "abc"])
def test_a_heartbeat_interval_must_stay_under_the_gateways_idle_timeout(interval):
    with pytest.raises(SettingsError):
        Settings.from_env({**BASE, "CSMS_HEARTBEAT_INTERVAL": interval})


def test_token_auth_needs_a_token_of_some_length():
    with pytest.raises(SettingsError):
        Settings.from_env({"CSMS_API_TOKEN": "short"}).require_api_token()
    with pytest.raises(SettingsError):
        Settings.from_env({}).require_api_token()
    Settings.from_env({"CSMS_API_AUTH": "gateway"}).require_api_token()
    Settings.from_env(BASE).require_api_token()


def test_unknown_admission_policies_are_refused():
    with pytest.raises(SettingsError):
        Settings.from_env({**BASE, "CSMS_ADMISSION": "everyone"})


def test_connections_are_renewed_before_the_gateways_cut_or_never():
    settings = Settings.from_env({})
    assert (settings.renew_after_s, settings.renew_spread_s) == (5400, 1200)
    assert Settings.from_env({"CSMS_RENEW_AFTER": "0"}).renew_after_s == 0
    with pytest.raises(SettingsError, match="before the gateway's cut"):  # 6600 + 300 + 300 reaches 7200
        Settings.from_env({"CSMS_RENEW_AFTER": "6600", "CSMS_RENEW_SPREAD": "300"})
    with pytest.raises(SettingsError):
        Settings.from_env({"CSMS_RENEW_SPREAD": "-1"})


def test_the_certificate_identity_is_the_common_name_or_the_serial_number_attribute():
    from shared.domain.client_certificates import IdentityAttribute

    assert Settings.from_env(BASE).certificate_identity is IdentityAttribute.COMMON_NAME
    chosen = Settings.from_env({**BASE, "CSMS_CERTIFICATE_IDENTITY": "serialNumber"})
    assert chosen.certificate_identity is IdentityAttribute.SERIAL_NUMBER
    with pytest.raises(SettingsError, match="CSMS_CERTIFICATE_IDENTITY"):
        Settings.from_env({**BASE, "CSMS_CERTIFICATE_IDENTITY": "OU"})
