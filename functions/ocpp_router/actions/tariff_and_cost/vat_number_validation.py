"""VatNumberValidation (2.1): a driver gave a company's VAT number at the station's payment
terminal; its form is checked for its country (no network call), answered, and kept for the
invoice."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.domain.vat_numbers import vat_check
from shared.protocol.tariff_and_cost import tariff_and_cost_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("VatNumberValidation", (OcppVersion.V21,))
def vat_number_validation(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = tariff_and_cost_codec(context.profile)
    vat_number, evse_id = codec.vat_number(payload)
    check = vat_check(vat_number, evse_id, context.message_id, context.received_at)
    station_events.reported(context.charge_point_id, check, context.received_at)
    return codec.vat_answer(check)
