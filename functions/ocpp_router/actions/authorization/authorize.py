"""Authorize: the operator's id-token list, answered in the version's shape, with the tariff
the driver will be charged by. The same check answers the authorization part of the
transaction messages."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.domain.authorization import Authorization, IdToken
from shared.domain.tariffs import Tariff
from shared.services import authorization, tariffs


def _verdict(context: CallContext, token: IdToken) -> tuple[Authorization, Tariff | None]:
    """Whether the token may charge here, and at what price (no reads once the tariffs are
    cached, unless they are assigned to sites)."""
    verdict = authorization.authorization_for(token, context.received_at)
    if not verdict.accepted or not token.value:  # NoAuthorization: nobody to show a price to
        return verdict, None
    return verdict, tariffs.tariff_for(context.charge_point_id, token.value, verdict.parent_id_token)


def id_token_answer(context: CallContext, token: IdToken | None) -> dict[str, Any]:
    """The authorization part of an answer: present when the message presented a token."""
    if token is None:
        return {}
    return context.profile.adapter.id_token_info(*_verdict(context, token))


@handles("Authorize")
def authorize(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    adapter = context.profile.adapter
    verdict, tariff = _verdict(context, adapter.id_token(payload))
    offer = adapter.tariff_offer(tariff) if tariff is not None else {}
    return adapter.id_token_info(verdict, tariff) | offer
