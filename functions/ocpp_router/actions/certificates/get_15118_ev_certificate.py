"""Get15118EVCertificate (2.x): an EV's contract certificate request, relayed to the provider."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.certificates import certificates_codec
from shared.protocol.versions import OcppVersion
from shared.services.certificates import plug_and_charge


@handles("Get15118EVCertificate", (OcppVersion.V201, OcppVersion.V21))
def get_15118_ev_certificate(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = certificates_codec(context.profile)
    relayed = plug_and_charge.contract_certificate(context.charge_point_id, codec.contract_request(payload))
    return codec.contract_answer(relayed)
