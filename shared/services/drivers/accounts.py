"""Drivers' accounts: made by an operator (with a key to sign in locally) or on a driver's first
visit (a Cognito user of the drivers' pool); the cards linked to them; the driver's sessions,
receipts and statements, which are the CDRs' figures (docs/accounts.md, "Drivers")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.aws.event_bus import DomainEvent
from shared.data import api_keys, drivers, id_tokens, transactions
from shared.data.dynamo import Page, decode_token, encode_token
from shared.domain.accounts import DEFAULT_TENANT, ApiKey, Principal, Role, key_hash, new_key
from shared.domain.drivers import (
    LINK_WINDOW,
    Driver,
    LinkedCard,
    PendingLink,
    email_of,
    new_driver_id,
    pending_link,
)
from shared.domain.errors import BadPageToken, BadRequest, Conflict, NotFound
from shared.domain.transactions import SessionKey, SessionSummary
from shared.grants import grants
from shared.services.accounts import tenants
from shared.services.domain_events import publish

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("drivers", "id-tokens", "transactions"),
    writes=("api-keys", "drivers", "id-tokens"),
    indexes=("drivers/by-email", "id-tokens/by-driver", "transactions/by-id-token"),
)

# How far back a driver's session list reaches when it is not told where to start.
DEFAULT_HISTORY = timedelta(days=400)
# A station's clock may run ahead of ours: its latest sessions are listed all the same.
CLOCK_AHEAD = timedelta(days=1)


@dataclass(frozen=True)
class Account:
    driver: Driver
    cards: list[LinkedCard]
    pending: PendingLink | None


# --- Accounts --------------------------------------------------------------------------------


def create(
    maker: Principal, name: str, email: str, tenant_id: str | None, now: datetime
) -> tuple[Driver, str]:
    """A driver of the maker's tenant (a platform admin names one, else the default), and the
    key it signs in with, shown this once."""
    if maker.tenant_id is not None:
        if tenant_id not in (None, maker.tenant_id):
            raise NotFound(f"Tenant {tenant_id}")
        tenant_id = maker.tenant_id
    elif tenant_id is not None:
        tenants.require(tenant_id)
    driver_id = new_driver_id()
    key = _key_for(driver_id, tenant_id or DEFAULT_TENANT, maker, now)
    driver = Driver(
        driver_id, tenant_id or DEFAULT_TENANT, name.strip(), email_of(email), now, key[0].api_key_id
    )
    api_keys.put_api_key(key[0])
    drivers.put_driver(driver)
    return driver, key[1]


def _key_for(driver_id: str, tenant_id: str, maker: Principal, now: datetime) -> tuple[ApiKey, str]:
    api_key_id, key = new_key()
    record = ApiKey(
        api_key_id=api_key_id,
        name=f"driver {driver_id}",
        role=Role.DRIVER,
        tenant_id=tenant_id,
        key_hash=key_hash(key),
        created_at=now,
        created_by=maker.principal,
        driver_id=driver_id,
    )
    return record, key


def renew_key(maker: Principal, driver_id: str, now: datetime) -> str:
    """A fresh key for the driver; the one it had stops working (within the authorizer's cache)."""
    driver = find(driver_id)
    record, key = _key_for(driver.driver_id, driver.tenant_id or DEFAULT_TENANT, maker, now)
    api_keys.put_api_key(record)
    drivers.set_key(driver.driver_id, record.api_key_id)
    if driver.api_key_id is not None:
        api_keys.revoke_api_key(driver.api_key_id, now)
    return key


def find(driver_id: str) -> Driver:
    driver = drivers.find_driver(driver_id)
    if driver is None:
        raise NotFound(f"Driver {driver_id}")
    return driver


def lookup(email: str | None, limit: int, next_token: str | None) -> Page[Driver]:
    """By address (1 query), or every driver of the scope, a page at a time."""
    if email is not None:
        return Page(drivers.drivers_by_email(email_of(email))[:limit], None)
    return drivers.list_drivers(limit, next_token)


def delete(driver_id: str, now: datetime) -> None:
    """The account goes, its cards are unlinked (they stay on the list, with their status) and
    its key stops working."""
    driver = find(driver_id)
    for card in id_tokens.cards_of(driver_id):
        unlink(driver, card.id_token, now, "account removed")
    if driver.api_key_id is not None:
        api_keys.revoke_api_key(driver.api_key_id, now)
    drivers.delete_driver(driver_id)


def account(driver: Driver, now: datetime) -> Account:
    cards = id_tokens.cards_of(driver.driver_id)
    return Account(driver, cards, pending_link(driver, cards, now))


def of_principal(principal: Principal, now: datetime) -> Driver:
    """The caller's account. A driver of the drivers' user pool gets one on its first visit."""
    found = drivers.find_driver(principal.principal)
    if found is not None:
        return found
    if principal.kind != "user":
        raise NotFound(f"Driver {principal.principal}")  # a key's account was deleted
    driver = Driver(principal.principal, principal.tenant_id or DEFAULT_TENANT, principal.principal, "", now)
    try:
        drivers.put_driver(driver)
    except Conflict:  # two first visits at once
        return find(principal.principal)
    return driver


# --- Cards -----------------------------------------------------------------------------------


def ask_link(driver: Driver, id_token: str, now: datetime) -> PendingLink:
    """The card is linked when next presented at a station within LINK_WINDOW. Asking again
    (for this card or another) replaces the request."""
    if any(card.id_token == id_token for card in id_tokens.cards_of(driver.driver_id)):
        raise Conflict(f"Id token {id_token} is already linked to this account")
    until = now + LINK_WINDOW
    id_tokens.ask_link(id_token, driver.driver_id, until)
    drivers.set_pending(driver.driver_id, id_token, until)
    if driver.pending_id_token not in (None, id_token):  # the card asked for before is not now
        id_tokens.drop_ask(driver.pending_id_token, driver.driver_id)
    return PendingLink(id_token, until)


def link(driver_id: str, id_token: str, now: datetime, by: str) -> None:
    """An operator links a card at once."""
    driver = find(driver_id)
    id_tokens.link_card(id_token, driver.driver_id, now)
    card_linked(driver.driver_id, driver.tenant_id, id_token, now, by)


def unlink(driver: Driver, id_token: str, now: datetime, by: str) -> None:
    id_tokens.unlink_card(id_token, driver.driver_id)
    publish(
        DomainEvent.DRIVER_CARD_UNLINKED,
        {
            "driver_id": driver.driver_id,
            "id_token": id_token,
            "by": by,
            "at": now,
            "tenant_id": driver.tenant_id,
        },
    )


def card_linked(driver_id: str, tenant_id: str | None, id_token: str, at: datetime, by: str) -> None:
    """The event a link makes, by an operator (its principal) or by the card's presentation
    ("presented")."""
    publish(
        DomainEvent.DRIVER_CARD_LINKED,
        {"driver_id": driver_id, "id_token": id_token, "by": by, "at": at, "tenant_id": tenant_id},
    )


# --- Sessions ---------------------------------------------------------------------------------


def _cursor(token: str | None) -> SessionKey | None:
    if not token:
        return None
    position = decode_token(token, {"of", "key"})
    key = position["key"]
    if position["of"] != "driver-sessions" or not (isinstance(key, list) and len(key) == 3):
        raise BadPageToken()
    if not all(isinstance(part, str) for part in key):
        raise BadPageToken()
    return SessionKey(*key)


def session_keys(
    cards: Iterable[LinkedCard],
    started_from: datetime | None,
    started_to: datetime | None,
    limit: int,
    next_token: str | None,
    now: datetime,
) -> Page[SessionKey]:
    """The sessions of the driver's cards, each from when it was linked, newest first: 1 query
    per card, merged, paged on the last session's key."""
    after = _cursor(next_token)
    high = started_to or now + CLOCK_AHEAD
    if after is not None:
        high = min(high, datetime.fromisoformat(after.started_at))
    keys: list[SessionKey] = []
    for card in cards:
        low = max(card.linked_at, started_from) if started_from else card.linked_at
        if low > high:
            continue
        # One more than a page (and one for a session at the cursor's own instant) tells
        # whether another page follows.
        found = transactions.sessions_of_card(card.id_token, low, high, limit + 2)
        keys += [key for key in found if after is None or key < after]
    keys.sort(reverse=True)
    page = keys[:limit]
    more = len(keys) > limit
    token = encode_token({"of": "driver-sessions", "key": list(_as_tuple(page[-1]))}) if more else None
    return Page(page, token)


def _as_tuple(key: SessionKey) -> tuple[str, str, str]:
    return key.started_at, key.charge_point_id, key.transaction_id


def sessions(
    driver: Driver,
    started_from: datetime | None,
    started_to: datetime | None,
    limit: int,
    next_token: str | None,
    now: datetime,
) -> Page[SessionSummary]:
    """A page of the driver's sessions with their energy and cost (1 query per session for its
    meter values, as `withCost` costs operators)."""
    from shared.services.tariff_and_cost import pricing

    if started_from and started_to and started_from > started_to:
        raise BadRequest("from is after to")
    started_from = started_from or now - DEFAULT_HISTORY
    page = session_keys(
        id_tokens.cards_of(driver.driver_id), started_from, started_to, limit, next_token, now
    )
    records = transactions.sessions_by_key(page.items)
    return Page([pricing.with_cost(record)[0] for record in records], page.next_token)
