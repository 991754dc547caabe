"""Authorize: the operator's id-token list, answered in the version's shape. The same check
answers the authorization part of the transaction messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.data import id_tokens
from shared.domain.authorization import NO_AUTHORIZATION, Authorization, IdToken, authorize


def authorization_for(token: IdToken, now: datetime) -> Authorization:
    """At most 1 read (none for a 2.x NoAuthorization token)."""
    entry = None if token.type == NO_AUTHORIZATION else id_tokens.find_id_token(token.value)
    return authorize(token, entry, now)


def id_token_answer(context: CallContext, token: IdToken | None) -> dict[str, Any]:
    """The authorization part of an answer: present when the message presented a token."""
    if token is None:
        return {}
    return context.profile.adapter.id_token_info(authorization_for(token, context.received_at))


@handles("Authorize")
def authorize_id_token(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    return id_token_answer(context, context.profile.adapter.id_token(payload))
