"""Certificates in OCPP 1.6's security extension: the charge point's certificate and two roots."""

from __future__ import annotations

from typing import Any

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
from shared.domain.errors import CommandRefused
from shared.protocol.certificates import CertificatesCodec, delete_certificate_call
from shared.protocol.common import not_in_version

# The security extension's root types, and 2.x's names for them.
_ROOTS = {
    RootKind.CSMS: "CentralSystemRootCertificate",
    RootKind.MANUFACTURER: "ManufacturerRootCertificate",
}
_ROOT_KINDS = {name: kind.value for kind, name in _ROOTS.items()}


class V16Certificates:
    def signing_request(self, payload: dict[str, Any]) -> tuple[str, CertificateUse]:
        return payload["csr"], CertificateUse.CHARGING_STATION

    def signing_answer(self, reason: str | None) -> dict[str, Any]:
        return {"status": "Rejected" if reason else "Accepted"}

    def contract_request(self, payload: dict[str, Any]) -> ContractRequest:
        raise not_in_version("Get15118EVCertificate")

    def contract_answer(self, relayed: Relayed) -> dict[str, Any]:
        raise not_in_version("Get15118EVCertificate")

    def ocsp_request_data(self, payload: dict[str, Any]) -> tuple[dict[str, str], str]:
        raise not_in_version("GetCertificateStatus")

    def certificate_status_answer(self, relayed: Relayed) -> dict[str, Any]:
        raise not_in_version("GetCertificateStatus")

    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        raise not_in_version("GetCertificateChainStatus")

    def chain_status_answer(self, questions: list[StatusQuestion], found: list[Standing]) -> dict[str, Any]:
        raise not_in_version("GetCertificateChainStatus")

    def certificate_signed(self, chain: str, use: CertificateUse) -> Intent:
        if use is not CertificateUse.CHARGING_STATION:
            raise CommandRefused("OCPP 1.6 signs charge point certificates only")
        return "CertificateSigned", {"certificateChain": chain}

    def renewal_trigger(self, use: CertificateUse) -> Intent | None:
        if use is not CertificateUse.CHARGING_STATION:
            return None
        return "ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"}

    def install_certificate(self, kind: RootKind, pem: str) -> Intent:
        if kind not in _ROOTS:
            raise CommandRefused("OCPP 1.6 installs CSMS and manufacturer roots only")
        return "InstallCertificate", {"certificateType": _ROOTS[kind], "certificate": pem}

    def installed_certificate_queries(self) -> list[Intent]:
        return [("GetInstalledCertificateIds", {"certificateType": name}) for name in _ROOTS.values()]

    def installed_certificates(
        self, command: Command, response: dict[str, Any]
    ) -> tuple[tuple[str, ...] | None, list[Installed]] | None:
        if command.action != "GetInstalledCertificateIds":
            return None
        kind = _ROOT_KINDS[command.payload["certificateType"]]
        return (kind,), [Installed(kind, dict(found)) for found in response.get("certificateHashData") or []]

    delete_certificate = staticmethod(delete_certificate_call)


CODEC: CertificatesCodec = V16Certificates()
