"""Certificates as the CSMS's blocks speak of them: what a certificate is for, the roots a
station keeps, a signing request and what became of it, and what outside services said of a
certificate (decision 0028). The X.509 work itself is in `x509`, which loads the
`cryptography` package only where a certificate is made or read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# A station is asked to renew this long before its certificate expires.
RENEW_BEFORE = timedelta(days=30)


class CertificateUse(StrEnum):
    """What a signed certificate is for (1.6's SignCertificate asks only for the first)."""

    CHARGING_STATION = "ChargingStationCertificate"
    V2G = "V2GCertificate"
    V2G20 = "V2G20Certificate"

    @property
    def v2g(self) -> bool:
        return self is not CertificateUse.CHARGING_STATION


class RootKind(StrEnum):
    """The roots a station keeps (InstallCertificate's types, in 2.x's words)."""

    CSMS = "CSMSRootCertificate"
    MANUFACTURER = "ManufacturerRootCertificate"
    V2G = "V2GRootCertificate"
    MO = "MORootCertificate"
    OEM = "OEMRootCertificate"


@dataclass(frozen=True)
class Installed:
    """A certificate a station reported it has (GetInstalledCertificateIds): its type in 2.x's
    words (V2GCertificateChain besides the roots), its hashes and those of any sub-CAs."""

    certificate_type: str
    hash_data: dict[str, str]
    children: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class ContractRequest:
    """Get15118EVCertificate: an EV's ISO 15118 CertificateInstallationReq (or UpdateReq),
    as the EXI stream the station relays, base64."""

    schema_version: str
    action: str  # Install | Update
    exi_request: str
    maximum_chains: int | None = None  # 2.1
    prioritized_emaids: tuple[str, ...] = ()  # 2.1


@dataclass(frozen=True)
class Relayed:
    """What the CSMS answers a station that asked it about a certificate: Accepted with what an
    outside service said (an EXI stream, an OCSP response, base64), or Failed and why."""

    accepted: bool
    data: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class StatusQuestion:
    """2.1 GetCertificateChainStatus: one certificate of a chain, and where to ask about it."""

    hash_data: dict[str, str]
    source: str  # OCSP | CRL
    urls: tuple[str, ...]


@dataclass(frozen=True)
class Standing:
    """What a responder or a CRL says of a certificate, and until when: Good, Revoked,
    Unknown (the source does not know it), or Failed (no source answered)."""

    status: str
    next_update: datetime | None
    der: str = ""  # an OCSP response, base64, as GetCertificateStatus relays it


class SigningStatus(StrEnum):
    REQUESTED = "requested"  # checked and stored, not signed yet
    SIGNED = "signed"  # signed; CertificateSigned sent, or to be sent again
    ACCEPTED = "accepted"  # the station installed it
    FAILED = "failed"  # refused (or unanswered) every time the CSMS tried
    REVOKED = "revoked"  # an operator revoked it: it admits the station no longer


# CertificateSigned is sent this many times at most, waiting longer after each failure.
MAX_ATTEMPTS = 5


def retry_after(attempts: int) -> timedelta:
    """After the n-th failed CertificateSigned: 2, 4, 8, 16 minutes."""
    return timedelta(minutes=min(2**attempts, 60))


@dataclass(frozen=True)
class Signing:
    """A station's signing request, and the certificate signed from it."""

    charge_point_id: str
    digest: str
    use: CertificateUse
    status: SigningStatus
    subject: str
    csr: str
    requested_at: datetime
    updated_at: datetime
    certificate: str | None = None  # the chain sent, leaf first
    serial: str | None = None
    not_after: datetime | None = None
    command_id: str | None = None
    attempts: int = 0
    reason: str | None = None
    current: bool = False


class CsrRejected(ValueError):
    """Why a CSR is refused; the station is answered Rejected and a security event kept."""


@dataclass(frozen=True)
class SigningRequest:
    """A CSR that passed the checks."""

    pem: str
    use: CertificateUse
    subject: str  # RFC 4514
    key: str  # e.g. "EC secp256r1", "RSA 2048"

    @property
    def digest(self) -> str:
        """The request's own name: a resent SignCertificate with the same CSR is the same one."""
        return hashlib.sha256(self.pem.strip().encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Facts:
    """What an operator sees of a certificate."""

    subject: str
    issuer: str
    serial: str  # hex, as OCPP's CertificateHashData writes it
    not_before: datetime
    not_after: datetime
    sha256: str
