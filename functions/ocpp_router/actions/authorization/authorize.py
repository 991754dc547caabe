"""Authorize: the operator's id-token list, answered in the version's shape. The same check
answers the authorization part of the transaction messages."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.domain.authorization import IdToken
from shared.services import authorization


def id_token_answer(context: CallContext, token: IdToken | None) -> dict[str, Any]:
    """The authorization part of an answer: present when the message presented a token."""
    if token is None:
        return {}
    verdict = authorization.authorization_for(token, context.received_at)
    return context.profile.adapter.id_token_info(verdict)


@handles("Authorize")
def authorize(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    return id_token_answer(context, context.profile.adapter.id_token(payload))
