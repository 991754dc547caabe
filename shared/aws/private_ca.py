"""AWS Private CA as the CSMS's CA (context `privateCaArn`): a station's CSR is issued there,
with the template for a client (station) or server (SECC) certificate, and the CA's key never
leaves it (decision 0028)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shared.aws.clients import make_client
from shared.settings import get_settings

CLIENT_TEMPLATE = "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1"
SERVER_TEMPLATE = "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1"
# Issuing is asynchronous: the certificate is asked for until it is there.
WAIT = {"Delay": 1, "MaxAttempts": 20}


@lru_cache(maxsize=1)
def _client() -> Any:
    return make_client("acm-pca", get_settings().region)


@lru_cache(maxsize=1)
def _signing_algorithm(ca_arn: str) -> str:
    """The CA's own kind of signature: ECDSA for an EC key, RSA for an RSA one."""
    described = _client().describe_certificate_authority(CertificateAuthorityArn=ca_arn)
    key = described["CertificateAuthority"]["CertificateAuthorityConfiguration"]["KeyAlgorithm"]
    return "SHA256WITHECDSA" if key.startswith("EC") else "SHA256WITHRSA"


def issue(csr_pem: str, days: int, server: bool, request_id: str) -> tuple[str, str]:
    """The certificate (PEM) and the chain above it; `request_id` makes a retry the same
    request rather than a second certificate."""
    ca_arn = get_settings().private_ca_arn
    assert ca_arn is not None
    client = _client()
    issued = client.issue_certificate(
        CertificateAuthorityArn=ca_arn,
        Csr=csr_pem.encode(),
        SigningAlgorithm=_signing_algorithm(ca_arn),
        TemplateArn=SERVER_TEMPLATE if server else CLIENT_TEMPLATE,
        Validity={"Value": days, "Type": "DAYS"},
        IdempotencyToken=request_id[:36],
    )
    arn = issued["CertificateArn"]
    client.get_waiter("certificate_issued").wait(
        CertificateAuthorityArn=ca_arn, CertificateArn=arn, WaiterConfig=WAIT
    )
    found = client.get_certificate(CertificateAuthorityArn=ca_arn, CertificateArn=arn)
    return found["Certificate"], found.get("CertificateChain") or ""


def ca_certificates() -> tuple[str, str]:
    """The CA's certificate, and the chain above it (empty for a root)."""
    ca_arn = get_settings().private_ca_arn
    found = _client().get_certificate_authority_certificate(CertificateAuthorityArn=ca_arn)
    return found["Certificate"], found.get("CertificateChain") or ""
