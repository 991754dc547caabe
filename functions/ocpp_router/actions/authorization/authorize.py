"""Authorize: the token's verdict, with the tariff the driver would be charged by."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.authorization import authorization_codec
from shared.protocol.tariff_and_cost import tariff_and_cost_codec
from shared.services import authorization


@handles("Authorize")
def authorize(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = authorization_codec(context.profile)
    token = codec.id_token(payload)
    verdict, tariff = authorization.verdict_for(context.charge_point_id, token, context.received_at)
    offer = tariff_and_cost_codec(context.profile).tariff_offer(tariff) if tariff is not None else {}
    return codec.id_token_info(verdict, tariff) | offer
