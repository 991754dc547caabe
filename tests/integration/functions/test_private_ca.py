"""AWS Private CA as the CSMS's CA (context privateCaArn), against moto: the station's CSR is
issued there, and the trust anchors name its root."""

from __future__ import annotations

import pytest
from cryptography import x509

from shared.aws import private_ca
from shared.domain.x509 import load
from shared.settings import get_settings
from tests.builders import call, call_api, make_csr
from tests.integration.functions.test_certificates import react, signed_frames

ROOT_TEMPLATE = "arn:aws:acm-pca:::template/RootCACertificate/V1"


@pytest.fixture
def pca(aws, settings_env):
    """A root CA in Private CA, activated with its own certificate as the AWS guide does."""
    import boto3

    client = boto3.client("acm-pca", region_name=get_settings().region)
    arn = client.create_certificate_authority(
        CertificateAuthorityConfiguration={
            "KeyAlgorithm": "RSA_2048",
            "SigningAlgorithm": "SHA256WITHRSA",
            "Subject": {"CommonName": "Operator Private CA"},
        },
        CertificateAuthorityType="ROOT",
    )["CertificateAuthorityArn"]
    csr = client.get_certificate_authority_csr(CertificateAuthorityArn=arn)["Csr"]
    issued = client.issue_certificate(
        CertificateAuthorityArn=arn,
        Csr=csr.encode(),
        SigningAlgorithm="SHA256WITHRSA",
        TemplateArn=ROOT_TEMPLATE,
        Validity={"Value": 10, "Type": "YEARS"},
    )["CertificateArn"]
    root = client.get_certificate(CertificateAuthorityArn=arn, CertificateArn=issued)["Certificate"]
    client.import_certificate_authority_certificate(CertificateAuthorityArn=arn, Certificate=root.encode())
    settings_env(CSMS_PRIVATE_CA_ARN=arn)
    private_ca._client.cache_clear()
    private_ca._signing_algorithm.cache_clear()
    yield load(root)
    private_ca._client.cache_clear()
    private_ca._signing_algorithm.cache_clear()


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_a_station_certificate_is_issued_by_the_private_ca(station, posted, published, version, pca):
    assert call(station, "SignCertificate", {"csr": make_csr("CP1")[0]}) == {"status": "Accepted"}
    react(published)
    [frame] = signed_frames(posted)
    chain = x509.load_pem_x509_certificates(frame[3]["certificateChain"].encode())
    leaf = chain[0]
    assert leaf.subject.rfc4514_string() == "CN=CP1"
    leaf.verify_directly_issued_by(pca)
    assert all(c.issuer != c.subject for c in chain)  # the root stays out of the chain
    station([3, frame[1], {"status": "Accepted"}])
    [listed] = call_api("GET", "/charge-points/CP1/certificates")[1]["issued"]
    assert (listed["status"], listed["serial"]) == ("accepted", format(leaf.serial_number, "x"))
    [csms, *_] = call_api("GET", "/trust-anchors")[1]["items"]
    assert csms["name"] == "csms" and load(csms["certificate"]) == pca
