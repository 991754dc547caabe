"""The certificate lifecycle for every version: a CSR checked, signed by the CSMS's CA and sent
until installed; refused CSRs and certificates leave security events; renewals are asked for
before expiry; roots are installed, listed and removed through the operator API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from functions.certificates.handler import lambda_handler as certificates_function
from shared.domain.certificates import MAX_ATTEMPTS
from shared.domain.timestamps import utc_now
from shared.domain.x509 import hash_data, load, new_authority, pem_of
from shared.services.certificates import station_certificates
from tests.builders import CONTEXT, call, call_api, make_csr


def react(published, seen=0):
    """Run the certificates function on each CertificateRequested, as the bus's rule would."""
    for detail in published.of("CertificateRequested")[seen:]:
        certificates_function({"detail-type": "CertificateRequested", "detail": detail}, CONTEXT)


def signed_frames(posted):
    return [f for f in posted.to("c1") if f[0] == 2 and f[2] == "CertificateSigned"]


@pytest.fixture
def issued(station, posted, published):
    """CP1 asked for a certificate; the CSMS signed it and sent CertificateSigned."""
    csr, key = make_csr("CP1")
    assert call(station, "SignCertificate", {"csr": csr}) == {"status": "Accepted"}
    react(published)
    [frame] = signed_frames(posted)
    return frame, key


def test_a_csr_is_signed_by_the_csms_ca_and_installed_once_accepted(station, version, issued, published):
    frame, key = issued
    chain = frame[3]["certificateChain"]
    leaf = load(chain)
    ca = station_certificates.authority()
    assert leaf.subject.rfc4514_string() == "CN=CP1"
    assert leaf.issuer == ca.certificate.subject
    leaf.verify_directly_issued_by(ca.certificate)
    assert leaf.public_key() == key.public_key()
    usage = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    if version != "1.6":
        assert frame[3]["certificateType"] == "ChargingStationCertificate"
    [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert (listed["status"], listed["inUse"], listed["attempts"]) == ("signed", False, 1)

    station([3, frame[1], {"status": "Accepted"}])
    [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert (listed["status"], listed["inUse"]) == ("accepted", True)
    assert listed["serial"] == format(leaf.serial_number, "x")
    [installed] = published.of("CertificateInstalled")
    assert installed["chargePointId"] == "CP1" and installed["serial"] == listed["serial"]


def test_resending_the_same_csr_signs_nothing_twice(station, posted, published, version):
    csr, _ = make_csr("CP1")
    for message_id in ("m1", "m2"):
        assert call(station, "SignCertificate", {"csr": csr}, message_id) == {"status": "Accepted"}
    assert len(published.of("CertificateRequested")) == 1
    react(published)
    react(published)  # the event delivered twice
    [frame] = signed_frames(posted)
    station([3, frame[1], {"status": "Accepted"}])  # a second one would go out now
    assert len(signed_frames(posted)) == 1
    [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert (listed["status"], listed["attempts"]) == ("accepted", 1)


@pytest.mark.parametrize(
    "case",
    ["another station", "weak RSA", "bad signature", "not a CSR"],
)
def test_a_bad_csr_is_rejected_with_a_security_event(station, posted, published, version, case):
    if case == "another station":
        csr, _ = make_csr("CP2")
    elif case == "weak RSA":
        csr, _ = make_csr("CP1", rsa.generate_private_key(public_exponent=65537, key_size=1024))
    elif case == "bad signature":
        csr = _with_signature_of(make_csr("CP1")[0])
    else:
        csr = "-----BEGIN CERTIFICATE REQUEST-----\nbm9wZQ==\n-----END CERTIFICATE REQUEST-----\n"
    answer = call(station, "SignCertificate", {"csr": csr})
    assert answer["status"] == "Rejected"
    if version != "1.6":
        assert answer["statusInfo"]["reasonCode"] == "InvalidCSR"
    assert not published.of("CertificateRequested")
    events = call_api("GET", "/charge-points/CP1/security-events")[1]["items"]
    assert [e["type"] for e in events] == ["InvalidCsr"]
    assert call_api("GET", "/charge-points/CP1/certificates")[1]["issued"] == []


def _with_signature_of(good: str) -> str:
    """`good` with a bit of its signature flipped: a CSR whose signature does not verify."""
    import base64

    from cryptography.hazmat.primitives import serialization

    der = bytearray(x509.load_pem_x509_csr(good.encode()).public_bytes(serialization.Encoding.DER))
    der[-1] ^= 1
    body = base64.encodebytes(bytes(der)).decode()
    return f"-----BEGIN CERTIFICATE REQUEST-----\n{body}-----END CERTIFICATE REQUEST-----\n"


def test_a_refused_certificate_is_sent_again_later_and_given_up_after_the_last_try(station, posted, issued):
    frame, _ = issued
    for attempt in range(1, MAX_ATTEMPTS + 1):
        station([3, frame[1], {"status": "Rejected"}])
        now = utc_now()
        [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
        if attempt == MAX_ATTEMPTS:
            break
        assert listed["status"] == "signed" and "Rejected" in listed["reason"]
        assert station_certificates.sweep(now).resent == 0  # not yet
        assert station_certificates.sweep(now + timedelta(minutes=2**attempt, seconds=1)).resent == 1
        frame = signed_frames(posted)[-1]
    assert listed["status"] == "failed"
    assert len(signed_frames(posted)) == MAX_ATTEMPTS
    events = call_api("GET", "/charge-points/CP1/security-events")[1]["items"]
    assert [e["type"] for e in events] == ["CertificateNotInstalled"]


def test_an_unanswered_certificate_is_sent_again(station, posted, issued, settings_env):
    frame, _ = issued
    later = utc_now() + timedelta(minutes=3)
    from shared.services import commands

    assert commands.expire(later) == 1
    assert station_certificates.sweep(later).resent == 1
    again = signed_frames(posted)[-1]
    assert again[1] != frame[1] and again[3] == frame[3]
    station([3, again[1], {"status": "Accepted"}])
    [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert (listed["status"], listed["attempts"]) == ("accepted", 2)


def test_a_station_is_asked_to_renew_thirty_days_before_expiry_and_reminded_daily(
    station, posted, issued, version
):
    frame, _ = issued
    station([3, frame[1], {"status": "Accepted"}])
    not_after = load(frame[3]["certificateChain"]).not_valid_after_utc

    def renewals():
        return [f for f in posted.to("c1") if f[0] == 2 and "Trigger" in f[2]]

    assert station_certificates.sweep(not_after - timedelta(days=31)).renewals_asked == 0
    assert station_certificates.sweep(not_after - timedelta(days=29)).renewals_asked == 1
    [asked] = renewals()
    if version == "1.6":
        assert (asked[2], asked[3]) == (
            "ExtendedTriggerMessage",
            {"requestedMessage": "SignChargePointCertificate"},
        )
    else:
        assert (asked[2], asked[3]) == (
            "TriggerMessage",
            {"requestedMessage": "SignChargingStationCertificate"},
        )
    station([3, asked[1], {"status": "Accepted"}])
    assert station_certificates.sweep(not_after - timedelta(days=29, hours=-1)).renewals_asked == 0
    assert station_certificates.sweep(not_after - timedelta(days=27)).renewals_asked == 1


def test_a_renewed_certificate_replaces_the_one_in_use(station, posted, published, issued):
    frame, _ = issued
    station([3, frame[1], {"status": "Accepted"}])
    csr, _ = make_csr("CP1")
    assert call(station, "SignCertificate", {"csr": csr}, "m2") == {"status": "Accepted"}
    react(published, 1)
    station([3, signed_frames(posted)[-1][1], {"status": "Accepted"}])
    newest, oldest = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert (newest["inUse"], oldest["inUse"]) == (True, False)
    assert newest["status"] == oldest["status"] == "accepted"


def test_an_offline_station_gets_its_certificate_when_it_is_back(station, posted, published, version):
    from functions.disconnect.handler import lambda_handler as disconnect
    from local.runtime import events
    from tests.builders import socket

    csr, _ = make_csr("CP1")
    call(station, "SignCertificate", {"csr": csr})
    disconnect(events.disconnect(socket("c1", "CP1", version), 1006, "lost"), CONTEXT)
    react(published)
    assert signed_frames(posted) == []
    [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert listed["status"] == "signed"
    from functions.connect.handler import lambda_handler as connect

    connect(events.connect(socket("c1", "CP1", version), [], []), CONTEXT)
    assert station_certificates.sweep(utc_now() + timedelta(minutes=6)).resent == 1
    assert len(signed_frames(posted)) == 1


def test_a_revoked_certificate_admits_the_station_no_longer(station, posted, issued, version):
    from shared.domain.admission import Verdict
    from shared.domain.client_certificates import CLIENT_AUTH, ClientCertificate
    from shared.services.security import handshake

    frame, _ = issued
    station([3, frame[1], {"status": "Accepted"}])
    leaf = load(frame[3]["certificateChain"])
    call_api("PUT", "/charge-points/CP1", {"securityProfile": 3})
    with_it = ClientCertificate(
        "CN=CP1", serial=format(leaf.serial_number, "x"), purposes=frozenset({CLIENT_AUTH})
    )

    def verdict():
        return handshake.admit_handshake(
            "CP1", [f"ocpp{version}"], None, None, "10.0.0.1", utc_now(), True, with_it
        ).verdict

    assert verdict() is Verdict.ALLOW
    colons = ":".join(f"{b:02X}" for b in leaf.serial_number.to_bytes(20, "big").lstrip(b"\0"))
    closed = len(posted.closed)
    assert call_api("POST", f"/charge-points/CP1/certificates/{colons}/revoke")[0] == 204
    assert verdict() is Verdict.DENY
    assert len(posted.closed) == closed + 1  # the connection it may have made is closed
    [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert (listed["status"], listed["inUse"]) == ("revoked", False)
    events = call_api("GET", "/charge-points/CP1/security-events")[1]["items"]
    assert [e["type"] for e in events] == ["CertificateRevoked"]
    assert call_api("POST", "/charge-points/NOPE/certificates/ab/revoke")[0] == 404


# --- Roots on stations, and trust anchors ------------------------------------------------------


def _root(name: str) -> str:
    return pem_of(new_authority(name, utc_now()).certificate)


def test_trust_anchors_list_the_csms_root_first_and_take_only_ca_certificates(aws):
    status, body = call_api(
        "PUT",
        "/trust-anchors/v2g",
        {"certificateType": "V2GRootCertificate", "certificate": _root("V2G Root")},
    )
    assert status == 201 and body["facts"]["subject"] == "CN=V2G Root"
    items = call_api("GET", "/trust-anchors")[1]["items"]
    assert [(a["name"], a["certificateType"], a["builtIn"]) for a in items] == [
        ("csms", "CSMSRootCertificate", True),
        ("v2g", "V2GRootCertificate", False),
    ]
    assert load(items[0]["certificate"]) == station_certificates.authority().certificate
    leaf_csr, _ = make_csr("CP9")
    from shared.domain.certificates import CertificateUse
    from shared.domain.client_certificates import IdentityAttribute
    from shared.domain.x509 import check_csr, issue

    request = check_csr(leaf_csr, CertificateUse.CHARGING_STATION, "CP9", IdentityAttribute.COMMON_NAME)
    leaf = pem_of(issue(request, station_certificates.authority(), utc_now(), 30))
    for name, pem, reason in [
        ("leaf", leaf, "it (CN=CP9) is not a CA certificate"),
        ("x", "nope", "not a PEM-encoded X.509 certificate"),
        # A CA with a leaf beside it: the leaf would be trusted as a root on every station
        ("mixed", _root("MO Root") + leaf, "certificate 2 of 2 (CN=CP9) is not a CA certificate"),
    ]:
        status, body = call_api(
            "PUT", f"/trust-anchors/{name}", {"certificateType": "MORootCertificate", "certificate": pem}
        )
        assert (status, body["error"]["code"]) == (422, "InvalidCertificate") and reason in body["error"][
            "message"
        ]
    status, body = call_api(
        "POST",
        "/charge-points/CP1/certificates",
        {"certificateType": "MORootCertificate", "certificate": _root("MO") + leaf},
    )
    assert status == 422 and "certificate 2 of 2" in body["error"]["message"]  # nor installed on a station
    assert (
        call_api(
            "PUT",
            "/trust-anchors/csms",
            {"certificateType": "CSMSRootCertificate", "certificate": _root("x")},
        )[0]
        == 400
    )
    assert call_api("DELETE", "/trust-anchors/v2g")[0] == 204
    assert call_api("DELETE", "/trust-anchors/v2g")[0] == 404
    assert call_api("DELETE", "/trust-anchors/csms")[0] == 404


def _answer_queries(station, posted, reported):
    """Answer each GetInstalledCertificateIds with what the station has of the type asked."""
    answered = []
    while True:
        queries = [
            f
            for f in posted.to("c1")
            if f[0] == 2 and f[2] == "GetInstalledCertificateIds" and f[1] not in answered
        ]
        if not queries:
            return answered
        for frame in queries:
            answered.append(frame[1])
            station([3, frame[1], reported(frame[3])])


def test_a_root_is_installed_listed_and_deleted(station, posted, version):
    status, _ = call_api("POST", "/charge-points/CP1/certificates", {"trustAnchor": "csms"})
    assert status == 202
    frame = posted.to("c1")[-1]
    root = station_certificates.authority().certificate
    expected_type = "CentralSystemRootCertificate" if version == "1.6" else "CSMSRootCertificate"
    assert frame[2:] == [
        "InstallCertificate",
        {"certificateType": expected_type, "certificate": pem_of(root)},
    ]
    station([3, frame[1], {"status": "Accepted"}])

    hashes = hash_data(root, root)

    def reported(asked):
        if version == "1.6":
            if asked["certificateType"] != "CentralSystemRootCertificate":
                return {"status": "NotFound"}
            return {"status": "Accepted", "certificateHashData": [hashes]}
        return {
            "status": "Accepted",
            "certificateHashDataChain": [
                {"certificateType": "CSMSRootCertificate", "certificateHashData": hashes}
            ],
        }

    assert len(_answer_queries(station, posted, reported)) == (2 if version == "1.6" else 1)
    found = call_api("GET", "/charge-points/CP1/certificates")[1]
    assert [(i["certificateType"], i["hashData"]) for i in found["installed"]] == [
        ("CSMSRootCertificate", hashes)
    ]

    assert call_api("DELETE", "/charge-points/CP1/certificates/abc123")[0] == 404
    status, _ = call_api("DELETE", f"/charge-points/CP1/certificates/{hashes['serialNumber'].upper()}")
    assert status == 202
    frame = posted.to("c1")[-1]
    assert frame[2:] == ["DeleteCertificate", {"certificateHashData": hashes}]


def test_a_failed_installation_is_a_security_event(station, posted, version):
    pem = _root("Manufacturer Root")
    status, _ = call_api(
        "POST",
        "/charge-points/CP1/certificates",
        {"certificateType": "ManufacturerRootCertificate", "certificate": pem},
    )
    assert status == 202
    station([3, posted.to("c1")[-1][1], {"status": "Rejected"}])
    events = call_api("GET", "/charge-points/CP1/security-events")[1]["items"]
    assert [e["type"] for e in events] == ["CertificateInstallationFailed"]


def test_roots_a_version_cannot_hold_are_refused(station, version):
    body = {"certificateType": "V2GRootCertificate", "certificate": _root("V2G Root")}
    status, _ = call_api("POST", "/charge-points/CP1/certificates", body)
    assert status == (422 if version == "1.6" else 202)
    assert call_api("POST", "/charge-points/CP1/certificates", {"certificate": "nope"})[0] == 422
    assert call_api("POST", "/charge-points/CP1/certificates", {})[0] == 400


@pytest.mark.parametrize("version", ["2.0.1", "2.1"])  # 1.6's SignCertificate has no type
def test_a_v2g_csr_may_name_the_secc_but_needs_an_ec_key(station, posted, published, version):
    csr, _ = make_csr("SECC-DE-123")
    answer = call(station, "SignCertificate", {"csr": csr, "certificateType": "V2GCertificate"})
    assert answer == {"status": "Accepted"}
    react(published)
    [frame] = signed_frames(posted)
    leaf = load(frame[3]["certificateChain"])
    assert frame[3]["certificateType"] == "V2GCertificate"
    assert list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH
    ]
    weak, _ = make_csr("SECC-DE-123", rsa.generate_private_key(public_exponent=65537, key_size=2048))
    assert (
        call(station, "SignCertificate", {"csr": weak, "certificateType": "V2GCertificate"}, "m2")["status"]
        == "Rejected"
    )


def admits(identity: str, leaf: x509.Certificate) -> str:
    """The authorizer's verdict on a handshake as `identity` with this client certificate, as
    the edge (here the local runtime's listener) forwards it."""
    from cryptography.hazmat.primitives import serialization

    from functions.authorizer.handler import lambda_handler as authorize
    from local.runtime import events
    from local.runtime.tls import viewer_headers
    from tests.builders import socket

    headers = viewer_headers(leaf.public_bytes(serialization.Encoding.DER), over_tls=True)
    request = events.authorizer_request(
        socket("c-new"),
        [("Sec-WebSocket-Protocol", "ocpp2.0.1"), *headers.items()],
        [("chargePointId", identity)],
    )
    try:
        return authorize(request, CONTEXT)["policyDocument"]["Statement"][0]["Effect"]
    except Exception as refused:
        return str(refused)


@pytest.mark.parametrize("version", ["2.0.1"])
def test_a_v2g_certificate_naming_another_station_never_admits_it(station, posted, published, version):
    for identity in ("CP1", "CP2"):
        call_api("PUT", f"/charge-points/{identity}", {"securityProfile": 3})
    v2g_csr, _ = make_csr("CP2")  # CP1 asks for a V2G certificate whose SECC is named CP2
    answer = call(station, "SignCertificate", {"csr": v2g_csr, "certificateType": "V2GCertificate"})
    assert answer == {"status": "Accepted"}
    station_csr, _ = make_csr("CP1")
    assert call(station, "SignCertificate", {"csr": station_csr}, "m2") == {"status": "Accepted"}
    react(published)
    station([3, signed_frames(posted)[0][1], {"status": "Accepted"}])  # the next waits its turn
    v2g, own = (load(frame[3]["certificateChain"]) for frame in signed_frames(posted))
    assert v2g.subject.rfc4514_string() == "CN=CP2"
    assert admits("CP2", v2g) == "Deny"
    assert admits("CP1", own) == "Allow"
