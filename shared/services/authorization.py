"""Authorization: who may charge. The operator's id-token list, the answers Authorize and the
transaction messages give from it (with the tariff the driver is offered)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.data import id_tokens
from shared.data.dynamo import Page
from shared.domain.accounts import DEFAULT_TENANT
from shared.domain.authorization import NO_AUTHORIZATION, Authorization, IdToken, TokenEntry, authorize
from shared.domain.errors import NotFound
from shared.domain.payments import is_payment_reference
from shared.domain.tariffs import Tariff
from shared.grants import grants
from shared.protocol.authorization import authorization_codec
from shared.protocol.versions import Profile
from shared.services.station_tenant import tenant_of_charge_point
from shared.services.tariff_and_cost import tariffs

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("id-tokens",),
    writes=("id-tokens",),
)


def authorization_for(
    charge_point_id: str, token: IdToken, now: datetime, evse_id: int | None = None
) -> Authorization:
    """At most 1 read (none for a 2.x NoAuthorization token, or an empty one), and 1 write when
    a driver is waiting for this card to be presented to link it (shared.domain.drivers). A card
    of another tenant than the station's is as unknown to it as one on no list. A token shaped as
    a payment's id is that payment's: good at its EVSE while its hold is open (`evse_id`: where
    the message says it is, None where it says nothing)."""
    if not token.value:
        return authorize(token, None, now)  # the schemas allow an empty token; it is no one's
    if token.type != NO_AUTHORIZATION and is_payment_reference(token.value):
        from shared.services.payments import tokens  # only for a paid session's messages

        return tokens.authorization_of(charge_point_id, evse_id, token.value)
    entry = None if token.type == NO_AUTHORIZATION else id_tokens.find_id_token(token.value)
    if entry is not None and (entry.tenant_id or DEFAULT_TENANT) != tenant_of_charge_point(charge_point_id):
        entry = None
    driver_id = entry.awaited_by(now) if entry else None
    if entry is not None and driver_id is not None and id_tokens.confirm_link(token.value, driver_id, now):
        from shared.services.drivers.accounts import card_linked  # rare: not on Authorize's import

        card_linked(driver_id, entry.tenant_id, token.value, now, "presented")
    return authorize(token, entry, now)


def verdict_for(
    charge_point_id: str, token: IdToken, now: datetime, evse_id: int | None = None
) -> tuple[Authorization, Tariff | None]:
    """Whether the token may charge here, and at what price (no reads once the tariffs are
    cached, unless they are assigned to sites)."""
    verdict = authorization_for(charge_point_id, token, now, evse_id)
    if not verdict.accepted or not token.value:  # NoAuthorization: nobody to show a price to
        return verdict, None
    return verdict, tariffs.tariff_for(charge_point_id, token.value, verdict.parent_id_token)


def id_token_answer(
    profile: Profile,
    charge_point_id: str,
    token: IdToken | None,
    now: datetime,
    evse_id: int | None = None,
    starts: bool = False,
) -> dict[str, Any]:
    """The authorization part of a transaction message's answer: present when the message
    presented a token; for a message that `starts` a paid session, its hold as the limit where
    the version has one."""
    if token is None:
        return {}
    codec = authorization_codec(profile)
    verdict, tariff = verdict_for(charge_point_id, token, now, evse_id)
    answer = codec.id_token_info(verdict, tariff)
    if starts and verdict.accepted and verdict.max_cost is not None:
        answer |= codec.transaction_limit(verdict.max_cost)
    return answer


def find_id_token(id_token: str) -> TokenEntry:
    entry = id_tokens.find_id_token(id_token)
    if entry is None:
        raise NotFound(f"Id token {id_token}")
    return entry


def list_id_tokens(limit: int, next_token: str | None) -> Page[TokenEntry]:
    return id_tokens.list_id_tokens(limit, next_token)


def put_id_token(entry: TokenEntry, now: datetime) -> bool:
    """Adds the entry or replaces it; whether it is new."""
    return id_tokens.put_id_token(entry, now)


def delete_id_token(id_token: str) -> None:
    if not id_tokens.delete_id_token(id_token):
        raise NotFound(f"Id token {id_token}")
