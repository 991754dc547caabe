"""Security profiles 2 and 3 against the running local runtime: `ocpp` clients over wss://,
with HTTP Basic (profile 2) or a client certificate from the runtime's own CA (profile 3); a
certificate of another identity, or none where one is required, is refused at the handshake.
A station that asks for a certificate (SignCertificate) gets one it then connects with."""

from __future__ import annotations

import asyncio
import base64
import ssl
from pathlib import Path

import pytest
import websockets
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from local.runtime import tls
from tests.builders import make_csr
from tests.e2e.conftest import CLIENT_CLASSES, start_runtime

pytestmark = pytest.mark.e2e

BOOTS = {
    "1.6": call16.BootNotification(charge_point_vendor="Acme", charge_point_model="AC-1"),
    "2.0.1": call201.BootNotification(
        charging_station={"vendor_name": "Acme", "model": "AC-2"}, reason="PowerUp"
    ),
}


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tls")
    data = tmp / "data"
    launched, runtime = start_runtime(tmp, "--data-dir", str(data), "--admission", "registered")
    yield launched, runtime, data
    launched.stop()


def client_context(data: Path, certificate: tls.Issued | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(data / "ca.pem"))
    if certificate is not None:
        context.load_cert_chain(certificate.certificate, certificate.key)
    return context


def basic(identity: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{identity}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def boot(url: str, identity: str, version: str, **connect: object) -> str:
    async with websockets.connect(f"{url}/ocpp/{identity}", subprotocols=[f"ocpp{version}"], **connect) as ws:
        station = CLIENT_CLASSES[version](identity, ws)
        listener = asyncio.create_task(station.start())
        try:
            return (await station.call(BOOTS[version])).status
        finally:
            listener.cancel()


def refused(url: str, identity: str, version: str, **connect: object) -> int:
    with pytest.raises(websockets.InvalidStatus) as error:
        asyncio.run(boot(url, identity, version, **connect))
    return error.value.response.status_code


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_profile_2_connects_over_tls_with_basic_and_never_in_the_clear(secured, version):
    launched, runtime, data = secured
    identity = f"SP2-{version.replace('.', '')}"
    password = "a-long-enough-password-1"
    status, _ = runtime.api("PUT", f"/charge-points/{identity}", {"password": password, "securityProfile": 2})
    assert status == 201
    over_tls = {"ssl": client_context(data), "additional_headers": basic(identity, password)}
    assert asyncio.run(boot(launched.wss_url, identity, version, **over_tls)) == "Accepted"
    # The same credentials over ws:// are below the profile the registration asks for.
    assert refused(launched.ws_url, identity, version, additional_headers=basic(identity, password)) == 403
    assert runtime.api("GET", f"/charge-points/{identity}")[1]["securityProfile"] == 2


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_profile_3_connects_with_its_own_certificate_only(secured, version):
    launched, runtime, data = secured
    identity, other = f"SP3-{version.replace('.', '')}", f"SP3-OTHER-{version.replace('.', '')}"
    for name in (identity, other):
        assert runtime.api("PUT", f"/charge-points/{name}", {"securityProfile": 3})[0] == 201
    own, others = tls.client_certificate(identity, data), tls.client_certificate(other, data)

    assert asyncio.run(boot(launched.wss_url, identity, version, ssl=client_context(data, own))) == "Accepted"
    # No certificate: profile 3 has no password to fall back on.
    assert refused(launched.wss_url, identity, version, ssl=client_context(data)) == 401
    # Another charge point's certificate, valid and from the same CA, names the wrong one.
    assert refused(launched.wss_url, identity, version, ssl=client_context(data, others)) == 403


def test_profile_3_refuses_a_certificate_of_the_trusted_ca_that_is_not_for_client_authentication(secured):
    launched, runtime, data = secured
    identity = "SP3-NO-EKU"
    assert runtime.api("PUT", f"/charge-points/{identity}", {"securityProfile": 3})[0] == 201
    # Names the station, from the CA the listener trusts, but says nothing of client authentication.
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, identity)])
    unfit = tls._issue(tls.local_ca(data), subject, 30, [], data / "clients" / "no-eku.pem")
    assert refused(launched.wss_url, identity, "2.0.1", ssl=client_context(data, unfit)) == 403


def test_a_certificate_no_trusted_ca_issued_fails_the_tls_handshake(secured, tmp_path):
    launched, runtime, data = secured
    stranger = tls.client_certificate("SP3-STRANGER", tmp_path / "elsewhere")  # another CA
    assert runtime.api("PUT", "/charge-points/SP3-STRANGER", {"securityProfile": 3})[0] == 201
    with pytest.raises((ssl.SSLError, ConnectionError, OSError, websockets.InvalidMessage)):
        asyncio.run(boot(launched.wss_url, "SP3-STRANGER", "2.0.1", ssl=client_context(data, stranger)))


class Keeps16(ChargePoint16):
    """Takes a new AuthorizationKey and keeps it for its next connection."""

    password: str | None = None

    @on("ChangeConfiguration")
    def change(self, key: str, value: str, **_: object) -> result16.ChangeConfiguration:
        if key == "AuthorizationKey":
            type(self).password = value
        return result16.ChangeConfiguration(status="Accepted")


class Keeps201(ChargePoint201):
    password: str | None = None

    @on("SetVariables")
    def set_variables(self, set_variable_data: list[dict], **_: object) -> result201.SetVariables:
        results = []
        for item in set_variable_data:
            if item["variable"]["name"] == "BasicAuthPassword":
                type(self).password = item["attribute_value"]
            results.append(
                {"attribute_status": "Accepted", "component": item["component"], "variable": item["variable"]}
            )
        return result201.SetVariables(set_variable_result=results)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_a_rotated_password_keeps_the_station_connecting_over_tls(secured, version):
    launched, runtime, data = secured
    identity, old = f"ROT-{version.replace('.', '')}", "the-first-password-1"
    keeper = {"1.6": Keeps16, "2.0.1": Keeps201}[version]
    assert runtime.api("PUT", f"/charge-points/{identity}", {"password": old, "securityProfile": 2})[0] == 201

    async def rotate_while_connected() -> None:
        url = f"{launched.wss_url}/ocpp/{identity}"
        headers = basic(identity, old)
        async with websockets.connect(
            url, subprotocols=[f"ocpp{version}"], ssl=client_context(data), additional_headers=headers
        ) as ws:
            station = keeper(identity, ws)
            listener = asyncio.create_task(station.start())
            await station.call(BOOTS[version])
            status, command = await asyncio.to_thread(
                runtime.api, "POST", f"/charge-points/{identity}/password?wait=10", {}
            )
            listener.cancel()
        assert status == 200 and command["status"] == "completed", command
        assert "********" in str(command["payload"])

    asyncio.run(rotate_while_connected())
    new = keeper.password
    assert new and new != old
    with_new = {"ssl": client_context(data), "additional_headers": basic(identity, new)}
    assert asyncio.run(boot(launched.wss_url, identity, version, **with_new)) == "Accepted"
    # A station that reconnects before it applied the new one still gets in, for a while.
    with_old = {"ssl": client_context(data), "additional_headers": basic(identity, old)}
    assert asyncio.run(boot(launched.wss_url, identity, version, **with_old)) == "Accepted"


def signing_station(version: str):
    """A station that keeps the certificate chain the CSMS sends it, and takes it."""
    base = {"1.6": ChargePoint16, "2.0.1": ChargePoint201}[version]
    answer = {"1.6": result16.CertificateSigned, "2.0.1": result201.CertificateSigned}[version]

    class Signing(base):  # type: ignore[misc, valid-type]
        chain: str | None = None

        @on("CertificateSigned")
        def certificate_signed(self, certificate_chain: str, **_: object) -> object:
            type(self).chain = certificate_chain
            return answer(status="Accepted")

    return Signing


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_a_certificate_the_csms_issued_after_sign_certificate_admits_the_station_at_profile_3(
    secured, version, tmp_path
):
    launched, runtime, data = secured
    identity, password = f"ISSUED-{version.replace('.', '')}", "a-long-enough-password-2"
    assert (
        runtime.api("PUT", f"/charge-points/{identity}", {"password": password, "securityProfile": 2})[0]
        == 201
    )
    csr, key = make_csr(identity)
    station_class = signing_station(version)
    sign = call16.SignCertificate(csr=csr) if version == "1.6" else call201.SignCertificate(csr=csr)

    async def ask_for_a_certificate() -> str:
        async with websockets.connect(
            f"{launched.wss_url}/ocpp/{identity}",
            subprotocols=[f"ocpp{version}"],
            ssl=client_context(data),
            additional_headers=basic(identity, password),
        ) as ws:
            station = station_class(identity, ws)
            listener = asyncio.create_task(station.start())
            await station.call(BOOTS[version])
            status = (await station.call(sign)).status
            for _ in range(100):  # signed after the answer, by the certificates function
                if station_class.chain:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)  # its answer on its way
            listener.cancel()
            return status

    assert asyncio.run(ask_for_a_certificate()) == "Accepted"
    assert station_class.chain, "no CertificateSigned within 10 s"
    issued = tmp_path / "issued.pem"
    issued.write_text(station_class.chain)
    private = tmp_path / "issued.key"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    listed = runtime.api("GET", f"/charge-points/{identity}/certificates")[1]["issued"]
    assert [(c["status"], c["inUse"]) for c in listed] == [("accepted", True)]

    # Raised to profile 3: the issued certificate admits it, no password needed.
    assert runtime.api("PUT", f"/charge-points/{identity}", {"securityProfile": 3})[0] == 200
    with_certificate = client_context(data, tls.Issued(issued, private))
    assert asyncio.run(boot(launched.wss_url, identity, version, ssl=with_certificate)) == "Accepted"
    assert refused(launched.wss_url, identity, version, ssl=client_context(data)) == 401
    # Revoked, it admits the station no longer.
    serial = listed[0]["serial"]
    assert runtime.api("POST", f"/charge-points/{identity}/certificates/{serial}/revoke")[0] == 204
    assert refused(launched.wss_url, identity, version, ssl=with_certificate) == 403


def test_plug_and_charge_against_the_local_stand_ins(tmp_path):
    """A 2.0.1 station asks the running CSMS for a certificate's status (the OCSP responder) and
    for an EV's contract certificate (the provider), both served by local.standins.pki."""
    import base64

    from cryptography.x509 import ocsp

    from local.standins.pki import PROVIDER_TOKEN, Responder, serving
    from shared.domain.certificates import CertificateUse
    from shared.domain.client_certificates import IdentityAttribute
    from shared.domain.timestamps import utc_now
    from shared.domain.x509 import check_csr, hash_data, issue, new_authority

    v2g = new_authority("V2G Root", utc_now())
    request = check_csr(make_csr("SECC-1")[0], CertificateUse.V2G, "-", IdentityAttribute.COMMON_NAME)
    secc = issue(request, v2g, utc_now(), 30)
    named = hash_data(secc, v2g.certificate)  # camelCase already: the package passes it on
    with serving(Responder(v2g.certificate, v2g.key)) as pki:
        launched, _ = start_runtime(
            tmp_path,
            "--data-dir",
            str(tmp_path / "data"),
            "--contract-provider-token",
            PROVIDER_TOKEN,
            env={"CSMS_CONTRACT_PROVIDER_URL": f"{pki}/contract"},
        )
        try:

            async def ask() -> tuple[object, object]:
                async with websockets.connect(
                    f"{launched.ws_url}/ocpp/PNC-1", subprotocols=["ocpp2.0.1"]
                ) as ws:
                    station = ChargePoint201("PNC-1", ws)
                    listener = asyncio.create_task(station.start())
                    await station.call(BOOTS["2.0.1"])
                    status = await station.call(
                        call201.GetCertificateStatus(
                            ocsp_request_data={**named, "responderURL": f"{pki}/ocsp"}
                        )
                    )
                    contract = await station.call(
                        call201.Get15118EVCertificate(
                            iso15118_schema_version="urn:iso:15118:2:2013:MsgDef",
                            action="Install",
                            exi_request=base64.b64encode(b"CertificateInstallationReq").decode(),
                        )
                    )
                    listener.cancel()
                    return status, contract

            status, contract = asyncio.run(ask())
        finally:
            launched.stop()
    assert status.status == "Accepted"
    answer = ocsp.load_der_ocsp_response(base64.b64decode(status.ocsp_result))
    assert (
        answer.certificate_status is ocsp.OCSPCertStatus.GOOD and answer.serial_number == secc.serial_number
    )
    assert contract.status == "Accepted" and base64.b64decode(contract.exi_response).startswith(
        b"CertificateInstallationRes:"
    )
