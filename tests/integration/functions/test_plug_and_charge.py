"""ISO 15118 Plug & Charge for 2.x stations against the project's own responder and provider
(local.standins.pki): certificate status from OCSP (kept until its next update), contract
certificates from the provider; any failure answered Failed in time, never a CALLERROR."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.x509 import ocsp

from local.standins.pki import PROVIDER_TOKEN, Responder, serving
from shared.aws.secrets import put_json_secret
from shared.domain.certificates import CertificateUse
from shared.domain.client_certificates import IdentityAttribute
from shared.domain.timestamps import utc_now
from shared.domain.x509 import check_csr, hash_data, issue, new_authority
from shared.services.certificates.plug_and_charge import STATUS_UNKNOWN
from tests.builders import call, make_csr

TWO_X = pytest.mark.parametrize("version", ["2.0.1", "2.1"])  # 1.6 has none of these messages


@pytest.fixture
def pki():
    """A V2G CA, a SECC certificate it issued, and its responder and provider serving."""
    ca = new_authority("V2G Root", utc_now())
    csr, _ = make_csr("SECC-1")
    request = check_csr(csr, CertificateUse.V2G, "CP1", IdentityAttribute.COMMON_NAME)
    leaf = issue(request, ca, utc_now(), 30)
    responder = Responder(ca.certificate, ca.key)
    with serving(responder) as url:
        yield responder, url, hash_data(leaf, ca.certificate), leaf


def status_request(hashes, url):
    return {"ocspRequestData": {**hashes, "responderURL": url}}


@TWO_X
def test_certificate_status_relays_the_responders_answer_and_keeps_it(station, version, pki):
    responder, url, hashes, leaf = pki
    answer = call(station, "GetCertificateStatus", status_request(hashes, f"{url}/ocsp"))
    assert answer["status"] == "Accepted"
    relayed = ocsp.load_der_ocsp_response(base64.b64decode(answer["ocspResult"]))
    assert relayed.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert relayed.serial_number == leaf.serial_number
    # Until its next update, the fleet's next question is answered from what was kept.
    again = call(station, "GetCertificateStatus", status_request(hashes, f"{url}/ocsp"), "m2")
    assert again == answer and responder.asked == 1


@TWO_X
def test_a_revoked_certificate_is_relayed_as_revoked(station, version, pki):
    responder, url, hashes, leaf = pki
    responder.revoked.add(leaf.serial_number)
    answer = call(station, "GetCertificateStatus", status_request(hashes, f"{url}/ocsp"))
    relayed = ocsp.load_der_ocsp_response(base64.b64decode(answer["ocspResult"]))
    assert relayed.certificate_status is ocsp.OCSPCertStatus.REVOKED


@pytest.mark.parametrize(
    "where, why",
    [
        ("/nowhere", "HTTP 404"),
        ("http://127.0.0.1:9/ocsp", "unreachable"),
        ("ftp://example.org/ocsp", "not an http(s) URL"),
    ],
)
@TWO_X
def test_a_responder_that_fails_is_answered_failed_and_why_is_logged_not_told(
    station, version, pki, where, why, caplog
):
    """Telling the station why ("HTTP 401", "Connection refused") made the CSMS a port scanner
    for whoever chose the URL: the station is told it failed, the operator's log says why."""
    _, url, hashes, _ = pki
    target = f"{url}{where}" if where.startswith("/") else where
    answer = call(station, "GetCertificateStatus", status_request(hashes, target))
    assert answer["status"] == "Failed" and answer["statusInfo"]["additionalInfo"] == STATUS_UNKNOWN
    assert any(why in str(getattr(record, "reason", "")) for record in caplog.records)


@TWO_X
def test_a_responder_on_a_private_address_is_never_asked(station, version, pki, settings_env):
    """In the cloud a station's URL may only lead to a public address (the local runtime's
    stand-ins on this machine are allowed by CSMS_OUTSIDE_PRIVATE, which the cloud never sets)."""
    responder, url, hashes, _ = pki
    settings_env(CSMS_OUTSIDE_PRIVATE="false")
    for target in (f"{url}/ocsp", url.replace("127.0.0.1", "localhost") + "/ocsp", "http://169.254.169.254/"):
        answer = call(station, "GetCertificateStatus", status_request(hashes, target))
        assert answer["status"] == "Failed" and answer["statusInfo"]["additionalInfo"] == STATUS_UNKNOWN
    assert responder.asked == 0


@TWO_X
def test_a_slow_responder_is_answered_failed_within_the_timeout(station, version, pki, settings_env, caplog):
    responder, url, hashes, _ = pki
    settings_env(CSMS_OUTSIDE_TIMEOUT="1")
    responder.delay_s = 2
    answer = call(station, "GetCertificateStatus", status_request(hashes, f"{url}/ocsp"))
    assert answer["status"] == "Failed" and answer["statusInfo"]["additionalInfo"] == STATUS_UNKNOWN
    assert any("unreachable" in str(getattr(record, "reason", "")) for record in caplog.records)


EXI = base64.b64encode(b"CertificateInstallationReq from the EV").decode()


def contract_request():
    return {"iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef", "action": "Install", "exiRequest": EXI}


@TWO_X
def test_a_contract_certificate_comes_from_the_provider(station, version, pki, settings_env):
    responder, url, _, _ = pki
    settings_env(CSMS_CONTRACT_PROVIDER_URL=f"{url}/contract")
    put_json_secret("contract-certificate-provider", {"token": PROVIDER_TOKEN})
    answer = call(station, "Get15118EVCertificate", contract_request())
    made = b"CertificateInstallationRes:" + hashlib.sha256(base64.b64decode(EXI)).digest()
    assert answer == {"status": "Accepted", "exiResponse": base64.b64encode(made).decode()}
    assert responder.contracts == 1


@TWO_X
def test_without_a_provider_the_answer_is_failed_with_the_reason(station, version):
    answer = call(station, "Get15118EVCertificate", contract_request())
    assert answer["status"] == "Failed" and answer["exiResponse"] == ""
    assert "No contract certificate provider" in answer["statusInfo"]["additionalInfo"]


@TWO_X
def test_a_provider_that_refuses_the_credentials_is_answered_failed(station, version, pki, settings_env):
    _, url, _, _ = pki
    settings_env(CSMS_CONTRACT_PROVIDER_URL=f"{url}/contract")
    put_json_secret("contract-certificate-provider", {"token": "wrong"})
    answer = call(station, "Get15118EVCertificate", contract_request())
    assert answer["status"] == "Failed" and "HTTP 401" in answer["statusInfo"]["additionalInfo"]


def chain_request(hashes, source, *urls):
    return {
        "certificateStatusRequests": [{"certificateHashData": hashes, "source": source, "urls": list(urls)}]
    }


@pytest.mark.parametrize("version", ["2.1"])  # GetCertificateChainStatus came with 2.1
@pytest.mark.parametrize("source, path", [("OCSP", "/ocsp"), ("CRL", "/crl")])
def test_a_chains_status_comes_from_ocsp_or_the_crl(station, version, pki, source, path):
    responder, url, hashes, leaf = pki
    [good] = call(station, "GetCertificateChainStatus", chain_request(hashes, source, f"{url}{path}"))[
        "certificateStatus"
    ]
    assert (good["status"], good["source"], good["certificateHashData"]) == ("Good", source, hashes)
    responder.revoked.add(leaf.serial_number)
    # The answer kept is the answer until its nextUpdate: the source is not asked again.
    asked = responder.asked
    again = call(station, "GetCertificateChainStatus", chain_request(hashes, source, f"{url}{path}"), "m2")
    assert again["certificateStatus"][0]["status"] == "Good" and responder.asked == asked


@pytest.mark.parametrize("version", ["2.1"])
def test_a_revoked_certificate_in_the_crl_and_a_dead_source_skipped(station, version, pki):
    responder, url, hashes, leaf = pki
    responder.revoked.add(leaf.serial_number)
    request = chain_request(hashes, "CRL", "http://127.0.0.1:9/crl", f"{url}/crl")
    [found] = call(station, "GetCertificateChainStatus", request)["certificateStatus"]
    assert found["status"] == "Revoked"


@pytest.mark.parametrize("version", ["2.1"])
def test_a_chain_status_no_source_answers_is_failed(station, version, pki):
    _, url, hashes, _ = pki
    request = chain_request(hashes, "OCSP", "http://127.0.0.1:9/ocsp", f"{url}/nowhere")
    [found] = call(station, "GetCertificateChainStatus", request)["certificateStatus"]
    assert found["status"] == "Failed" and found["nextUpdate"]
