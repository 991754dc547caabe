"""Certificates in OCPP 2.1: ISO 15118-20's V2G certificate, the OEM root, and
GetCertificateChainStatus."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.domain.certificates import CertificateUse, RootKind, Standing, StatusQuestion
from shared.domain.timestamps import format_timestamp
from shared.protocol.certificates import CertificatesCodec
from shared.protocol.certificates.v2 import V2Certificates


class V21Certificates(V2Certificates):
    signing_uses = frozenset(CertificateUse)  # 2.1 adds ISO 15118-20's V2G certificate
    root_kinds = frozenset(RootKind)  # ...and the OEM root

    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        fields = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
        return [
            StatusQuestion(
                {name: asked["certificateHashData"][name] for name in fields},
                asked["source"],
                tuple(asked["urls"]),
            )
            for asked in payload["certificateStatusRequests"]
        ]

    def chain_status_answer(self, questions: list[StatusQuestion], found: list[Standing]) -> dict[str, Any]:
        return {
            "certificateStatus": [
                {
                    "certificateHashData": question.hash_data,
                    "source": question.source,
                    "status": standing.status,
                    "nextUpdate": format_timestamp(standing.next_update or datetime.now(UTC)),
                }
                for question, standing in zip(questions, found, strict=True)
            ]
        }


CODEC: CertificatesCodec = V21Certificates()
