"""Certificates on the wire: the station's own (SignCertificate, CertificateSigned), the roots it
trusts (Install, Delete, GetInstalledCertificateIds), and ISO 15118's questions it relays
(Get15118EVCertificate, GetCertificateStatus, 2.1's GetCertificateChainStatus)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from shared.domain.certificates import (
        CertificateUse,
        ContractRequest,
        Installed,
        Relayed,
        RootKind,
        Standing,
        StatusQuestion,
    )
    from shared.domain.commands import Command, Intent
    from shared.protocol.versions import Profile


class CertificatesCodec(Protocol):
    def signing_request(self, payload: dict[str, Any]) -> tuple[str, CertificateUse]:
        """SignCertificate: the CSR, and what the certificate is for."""
        ...

    def signing_answer(self, reason: str | None) -> dict[str, Any]:
        """SignCertificate's answer: Accepted, or Rejected with the reason (None: accepted)."""
        ...

    def contract_request(self, payload: dict[str, Any]) -> ContractRequest:
        """2.x Get15118EVCertificate."""
        ...

    def contract_answer(self, relayed: Relayed) -> dict[str, Any]: ...

    def ocsp_request_data(self, payload: dict[str, Any]) -> tuple[dict[str, str], str]:
        """2.x GetCertificateStatus: the certificate's hash data, and the responder's URL."""
        ...

    def certificate_status_answer(self, relayed: Relayed) -> dict[str, Any]: ...

    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        """2.1 GetCertificateChainStatus."""
        ...

    def chain_status_answer(
        self, questions: list[StatusQuestion], found: list[Standing]
    ) -> dict[str, Any]: ...

    def certificate_signed(self, chain: str, use: CertificateUse) -> Intent: ...

    def renewal_trigger(self, use: CertificateUse) -> Intent | None:
        """Asks the station for a new CSR (None: the version cannot ask for this use)."""
        ...

    def install_certificate(self, kind: RootKind, pem: str) -> Intent: ...

    def installed_certificate_queries(self) -> list[Intent]:
        """GetInstalledCertificateIds for every type the version knows (1.6 asks one at a time)."""
        ...

    def installed_certificates(
        self, command: Command, response: dict[str, Any]
    ) -> tuple[tuple[str, ...] | None, list[Installed]] | None:
        """What a GetInstalledCertificateIds answer lists, and the types it covers in 2.x's words
        (None: every type); None for other commands."""
        ...

    def delete_certificate(self, hash_data: dict[str, str]) -> Intent: ...


def certificates_codec(profile: Profile) -> CertificatesCodec:
    return cast("CertificatesCodec", profile.codec(__name__))


def delete_certificate_call(hash_data: dict[str, str]) -> Intent:
    """DeleteCertificate, the same in the 1.6 security extension and 2.x."""
    return "DeleteCertificate", {"certificateHashData": hash_data}
