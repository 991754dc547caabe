"""GetCertificateStatus (2.x): an OCSP answer about a certificate, from its responder or kept."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.certificates import certificates_codec
from shared.protocol.versions import OcppVersion
from shared.services.certificates import plug_and_charge


@handles("GetCertificateStatus", (OcppVersion.V201, OcppVersion.V21))
def get_certificate_status(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = certificates_codec(context.profile)
    hash_data, responder = codec.ocsp_request_data(payload)
    relayed = plug_and_charge.certificate_status(hash_data, responder, context.received_at)
    return codec.certificate_status_answer(relayed)
