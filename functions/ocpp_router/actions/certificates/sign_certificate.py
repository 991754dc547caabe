"""SignCertificate (1.6 security extension, 2.x): the CSR checked and stored before the
answer; signed and sent as CertificateSigned afterwards
(shared.services.certificates.station_certificates)."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.certificates import certificates_codec
from shared.services.certificates import station_certificates


@handles("SignCertificate")
def sign_certificate(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = certificates_codec(context.profile)
    csr, use = codec.signing_request(payload)
    reason = station_certificates.requested(context.charge_point_id, csr, use, context.received_at)
    return codec.signing_answer(reason)
