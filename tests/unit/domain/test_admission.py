import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.admission import Handshake, Verdict, admit, basic_credentials
from shared.domain.client_certificates import CLIENT_AUTH, ClientCertificate, IdentityAttribute, serial_hex
from shared.domain.passwords import hash_password, verify_password
from shared.protocol.versions import negotiate


@dataclass
class Registration:
    blocked: bool = False
    password_hash: str | None = None
    security_profile: int = 1
    revoked_serials: frozenset[str] = frozenset()
    previous_password_hash: str | None = None
    previous_password_until: datetime | None = None
    tenant_id: str | None = None


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def decide(
    registry, identity="CP1", protocols=("ocpp1.6",), authorization=None, auto=False, secret="", sent=None
):
    version = negotiate(list(protocols))  # as the security service does before admitting
    handshake = Handshake(identity, list(protocols), authorization, sent, version and version.value)
    return admit(handshake, registry.get, auto, secret)


def test_a_registered_charge_point_gets_the_newest_common_version():
    decision = decide({"CP1": Registration()}, protocols=["ocpp1.6,ocpp2.0.1"])
    assert (decision.verdict, decision.version, decision.register) == (Verdict.ALLOW, "2.0.1", False)


def test_an_admitted_charge_point_brings_its_tenant_to_the_connection():
    assert decide({"CP1": Registration(tenant_id="acme")}).tenant_id == "acme"
    assert decide({"CP1": Registration()}).tenant_id == "default"  # one from before tenants
    assert decide({}, auto=True).tenant_id == "default"  # registered on connecting: the default's
    assert decide({"CP1": Registration(tenant_id="acme", blocked=True)}).tenant_id is None


def test_unknown_charge_points_are_refused_unless_admission_auto_registers():
    # As a registered one with a password is: the answer does not tell which ids exist.
    assert decide({}).verdict is Verdict.UNAUTHORIZED
    assert decide({}, authorization=basic("CP1", "0123456789abcdef")).verdict is Verdict.UNAUTHORIZED
    decision = decide({}, auto=True)
    assert decision.verdict is Verdict.ALLOW and decision.register


@pytest.mark.parametrize("protocols", [(), ("ocpp1.5",), ("mqtt",)])
def test_no_supported_subprotocol_is_refused(protocols):
    assert decide({"CP1": Registration()}, protocols=protocols, auto=True).verdict is Verdict.DENY


@pytest.mark.parametrize(
    "identity", [None, "", "a" * 49, "has space", "user:name", "slash/id", ".", "..", "CP%2D1"]
)
def test_malformed_identities_are_refused(identity):
    assert decide({}, identity=identity, auto=True).verdict is Verdict.DENY


def test_blocked_charge_points_are_refused():
    assert decide({"CP1": Registration(blocked=True)}).verdict is Verdict.DENY
    # With a password, only its holder learns that it is blocked.
    registry = {"CP1": Registration(blocked=True, password_hash=hash_password("0123456789abcdef"))}
    assert decide(registry, authorization=basic("CP1", "guess-0123456789")).verdict is Verdict.UNAUTHORIZED
    assert decide(registry, authorization=basic("CP1", "0123456789abcdef")).verdict is Verdict.DENY


def test_a_password_requires_basic_credentials_whose_username_is_the_identity():
    registry = {"CP1": Registration(password_hash=hash_password("0123456789abcdef"))}
    assert decide(registry).verdict is Verdict.UNAUTHORIZED
    assert decide(registry, authorization=basic("CP1", "wrong-password-000")).verdict is Verdict.UNAUTHORIZED
    assert decide(registry, authorization=basic("CP2", "0123456789abcdef")).verdict is Verdict.UNAUTHORIZED
    assert decide(registry, authorization="Basic !!!notbase64").verdict is Verdict.UNAUTHORIZED
    assert decide(registry, authorization=basic("CP1", "0123456789abcdef")).verdict is Verdict.ALLOW


def test_when_an_origin_secret_is_set_handshakes_without_it_are_refused():
    registry = {"CP1": Registration()}
    assert decide(registry, secret="s3cret").verdict is Verdict.DENY
    assert decide(registry, secret="s3cret", sent="other").verdict is Verdict.DENY
    assert decide(registry, secret="s3cret", sent="s3cret").verdict is Verdict.ALLOW


def test_passwords_are_stored_salted():
    first, second = hash_password("0123456789abcdef"), hash_password("0123456789abcdef")
    assert first != second and "0123456789abcdef" not in first
    assert verify_password("0123456789abcdef", first) and not verify_password("0123456789abcdeF", first)
    assert not verify_password("x", "garbage")


def test_basic_credentials_keep_colons_in_the_password():
    assert basic_credentials(basic("CP1", "a:b:c")) == ("CP1", "a:b:c")
    assert basic_credentials("Bearer x") is None


NOW = datetime(2026, 12, 2, tzinfo=UTC)


def certified(registry, subject, secure=True, attribute=IdentityAttribute.COMMON_NAME, **certificate):
    version = negotiate(["ocpp2.0.1"])
    assert version is not None
    certificate.setdefault("purposes", frozenset({CLIENT_AUTH}))
    cert = ClientCertificate(subject, **certificate) if subject else None
    handshake = Handshake("CP1", ["ocpp2.0.1"], None, None, version.value, secure, cert)
    return admit(handshake, registry.get, False, "", NOW, attribute)


def test_profile_3_takes_a_certificate_naming_the_charge_point_in_place_of_a_password():
    registry = {"CP1": Registration(security_profile=3, password_hash=hash_password("0123456789abcdef"))}
    assert certified(registry, "CN=CP1,O=Acme").verdict is Verdict.ALLOW
    assert certified(registry, None).verdict is Verdict.UNAUTHORIZED
    other = certified(registry, "CN=CP2,O=Acme")
    assert other.verdict is Verdict.DENY and "'CP2'" in other.reason
    expired = certified(registry, "CN=CP1", not_after=NOW - timedelta(seconds=1))
    assert expired.verdict is Verdict.DENY
    assert certified(registry, "CN=CP1", secure=False).verdict is Verdict.DENY


SERVER_AUTH = "1.3.6.1.5.5.7.3.1"


@pytest.mark.parametrize(
    "purposes", [frozenset({SERVER_AUTH}), frozenset(), None], ids=["server-auth", "none", "unknown"]
)
def test_profile_3_refuses_a_certificate_not_for_client_authentication(purposes):
    registry = {"CP1": Registration(security_profile=3)}
    refused = certified(registry, "CN=CP1", purposes=purposes)
    assert refused.verdict is Verdict.DENY and "clientAuth" in refused.reason
    both = frozenset({SERVER_AUTH, CLIENT_AUTH})
    assert certified(registry, "CN=CP1", purposes=both).verdict is Verdict.ALLOW


def test_a_certificate_of_another_charge_point_is_refused_whatever_the_profile():
    assert certified({"CP1": Registration()}, "CN=CP9").verdict is Verdict.DENY
    assert certified({"CP1": Registration()}, "CN=CP1").verdict is Verdict.ALLOW


def test_profile_2_needs_tls_and_its_password():
    registry = {"CP1": Registration(security_profile=2, password_hash=hash_password("0123456789abcdef"))}
    over_tls = decide(registry, protocols=["ocpp1.6"], authorization=basic("CP1", "0123456789abcdef"))
    assert over_tls.verdict is Verdict.ALLOW
    version = negotiate(["ocpp1.6"])
    assert version is not None
    clear = Handshake("CP1", ["ocpp1.6"], basic("CP1", "0123456789abcdef"), None, version.value, secure=False)
    assert admit(clear, registry.get, False, "").verdict is Verdict.DENY


def test_the_serial_number_attribute_names_the_charge_point_where_the_vendor_puts_it_there():
    registry = {"CP1": Registration(security_profile=3)}
    subject = "CN=Model X,serialNumber=CP1"
    assert certified(registry, subject).verdict is Verdict.DENY
    assert certified(registry, subject, attribute=IdentityAttribute.SERIAL_NUMBER).verdict is Verdict.ALLOW


def test_a_revoked_certificate_is_refused_and_the_others_of_the_station_still_admit_it():
    registry = {"CP1": Registration(security_profile=3, revoked_serials=frozenset({"4a3f5c"}))}
    revoked = certified(registry, "CN=CP1", serial=serial_hex("00:4A:3F:5C"))
    assert revoked.verdict is Verdict.DENY and "revoked" in revoked.reason
    assert certified(registry, "CN=CP1", serial="4a3f5d").verdict is Verdict.ALLOW
    # An edge that says no serial number cannot tell: refused while the station has revocations.
    assert certified(registry, "CN=CP1").verdict is Verdict.DENY
    assert certified({"CP1": Registration(security_profile=3)}, "CN=CP1").verdict is Verdict.ALLOW
