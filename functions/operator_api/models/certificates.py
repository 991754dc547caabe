"""Station certificates, installed roots, and the trust anchors operators keep."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from functions.operator_api.models.common import ApiModel
from shared.domain.certificates import RootKind


class IssuedOut(ApiModel):
    use: str = Field(description="ChargingStationCertificate, V2GCertificate or V2G20Certificate")
    status: str = Field(
        description="requested, signed (sent, awaiting installation), accepted, failed or revoked"
    )
    subject: str
    serial: str | None
    not_after: datetime | None
    in_use: bool = Field(description="The station's current certificate of its use (renewed before expiry)")
    attempts: int = Field(description="CertificateSigned sent so far")
    reason: str | None = Field(None, description="Why the latest attempt failed")
    requested_at: datetime
    updated_at: datetime
    certificate: str | None = Field(None, description="The chain sent, PEM, leaf first")


class InstalledOut(ApiModel):
    certificate_type: str
    hash_data: dict[str, str] = Field(description="CertificateHashData; its serialNumber names it to DELETE")
    children: list[dict[str, str]] = Field(default_factory=list, description="Sub-CAs of a V2G chain")


class CertificatesOut(ApiModel):
    issued: list[IssuedOut] = Field(description="Signed by the CSMS from the station's CSRs, newest first")
    installed: list[InstalledOut] | None = Field(
        description="What GetInstalledCertificateIds reported; null until asked (.../certificates/refresh)"
    )
    installed_reported_at: datetime | None


class InstallIn(ApiModel):
    certificate_type: RootKind = RootKind.CSMS
    certificate: str | None = Field(None, description="A PEM CA certificate (422 otherwise)")
    trust_anchor: str | None = Field(None, description="Or a trust anchor's name (its type comes with it)")


class FactsOut(ApiModel):
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    sha256: str


class TrustAnchorIn(ApiModel):
    certificate_type: RootKind
    certificate: str = Field(
        description="PEM, CA certificates only (422 otherwise)", min_length=1, max_length=10000
    )


class TrustAnchorOut(ApiModel):
    name: str
    certificate_type: RootKind
    certificate: str
    facts: FactsOut
    built_in: bool = Field(description="The CSMS's own root, which signs station certificates")


class TrustAnchorList(ApiModel):
    items: list[TrustAnchorOut]
