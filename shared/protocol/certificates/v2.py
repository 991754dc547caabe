"""Certificates in OCPP 2.0.1: the station's and V2G certificates, ISO 15118's questions relayed."""

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


class V2Certificates:
    # The certificate uses this version signs, and the roots it installs.
    signing_uses: frozenset[CertificateUse] = frozenset({CertificateUse.CHARGING_STATION, CertificateUse.V2G})
    root_kinds: frozenset[RootKind] = frozenset(set(RootKind) - {RootKind.OEM})

    def signing_request(self, payload: dict[str, Any]) -> tuple[str, CertificateUse]:
        # Without a type the certificate serves the CSMS connection (and ISO 15118 with it).
        use = payload.get("certificateType") or CertificateUse.CHARGING_STATION
        return payload["csr"], CertificateUse(use)

    def signing_answer(self, reason: str | None) -> dict[str, Any]:
        if reason is None:
            return {"status": "Accepted"}
        info = {"reasonCode": "InvalidCSR", "additionalInfo": reason[:512]}
        return {"status": "Rejected", "statusInfo": info}

    def contract_request(self, payload: dict[str, Any]) -> ContractRequest:
        return ContractRequest(
            payload["iso15118SchemaVersion"],
            payload["action"],
            payload["exiRequest"],
            payload.get("maximumContractCertificateChains"),
            tuple(payload.get("prioritizedEMAIDs") or ()),
        )

    def contract_answer(self, relayed: Relayed) -> dict[str, Any]:
        status = "Accepted" if relayed.accepted else "Failed"
        return {"status": status, "exiResponse": relayed.data, **_why(relayed)}

    def ocsp_request_data(self, payload: dict[str, Any]) -> tuple[dict[str, str], str]:
        data = dict(payload["ocspRequestData"])
        fields = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
        return {name: data[name] for name in fields}, data["responderURL"]

    def certificate_status_answer(self, relayed: Relayed) -> dict[str, Any]:
        if relayed.accepted:
            return {"status": "Accepted", "ocspResult": relayed.data}
        return {"status": "Failed", **_why(relayed)}

    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        raise not_in_version("GetCertificateChainStatus")  # 2.1's

    def chain_status_answer(self, questions: list[StatusQuestion], found: list[Standing]) -> dict[str, Any]:
        raise not_in_version("GetCertificateChainStatus")

    def certificate_signed(self, chain: str, use: CertificateUse) -> Intent:
        return "CertificateSigned", {"certificateChain": chain, "certificateType": use.value}

    def renewal_trigger(self, use: CertificateUse) -> Intent | None:
        if use not in self.signing_uses:
            return None
        message = {
            CertificateUse.CHARGING_STATION: "SignChargingStationCertificate",
            CertificateUse.V2G: "SignV2GCertificate",
            CertificateUse.V2G20: "SignV2G20Certificate",
        }[use]
        return "TriggerMessage", {"requestedMessage": message}

    def install_certificate(self, kind: RootKind, pem: str) -> Intent:
        if kind not in self.root_kinds:
            raise CommandRefused(f"This OCPP version does not install a {kind.value}")
        return "InstallCertificate", {"certificateType": kind.value, "certificate": pem}

    def installed_certificate_queries(self) -> list[Intent]:
        return [("GetInstalledCertificateIds", {})]

    def installed_certificates(
        self, command: Command, response: dict[str, Any]
    ) -> tuple[tuple[str, ...] | None, list[Installed]] | None:
        if command.action != "GetInstalledCertificateIds":
            return None
        asked = command.payload.get("certificateType")
        return tuple(asked) if asked else None, [
            Installed(
                chain["certificateType"],
                dict(chain["certificateHashData"]),
                tuple(dict(child) for child in chain.get("childCertificateHashData") or []),
            )
            for chain in response.get("certificateHashDataChain") or []
        ]

    delete_certificate = staticmethod(delete_certificate_call)


def _why(relayed: Relayed) -> dict[str, Any]:
    """statusInfo for a Failed answer: why, for the station's log."""
    if relayed.reason is None:
        return {}
    return {"statusInfo": {"reasonCode": "Failed", "additionalInfo": relayed.reason[:512]}}


CODEC: CertificatesCodec = V2Certificates()
