"""GetCertificateChainStatus (2.1): each certificate of a chain's standing, from OCSP or a CRL."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.certificates import certificates_codec
from shared.protocol.versions import OcppVersion
from shared.services.certificates import plug_and_charge


@handles("GetCertificateChainStatus", (OcppVersion.V21,))
def get_certificate_chain_status(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = certificates_codec(context.profile)
    questions = codec.chain_status_questions(payload)
    return codec.chain_status_answer(questions, plug_and_charge.chain_status(questions, context.received_at))
