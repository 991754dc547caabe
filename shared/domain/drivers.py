"""Drivers' own accounts: who a driver is, the cards (id tokens) linked to the account, and the
rule that links one. Plain Python (docs/accounts.md, "Drivers", says it for people).

A driver links a card by asking for it and then presenting the card at any of the network's
stations within LINK_WINDOW: holding the card is the proof, so that knowing a card's number is
not enough to read its sessions. An operator may link one at once (it has the card's owner in
front of it, or its contract)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.domain.errors import BadRequest

LINK_WINDOW = timedelta(minutes=10)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


@dataclass(frozen=True)
class Driver:
    driver_id: str
    tenant_id: str | None
    name: str
    email: str
    created_at: datetime
    api_key_id: str | None = None  # the driver's current key (local sign-in); None: Cognito only
    pending_id_token: str | None = None  # the card the driver last asked to link
    pending_until: datetime | None = None


@dataclass(frozen=True)
class LinkedCard:
    id_token: str
    status: str  # the card's authorization status (Accepted, Blocked, ...)
    linked_at: datetime


@dataclass(frozen=True)
class PendingLink:
    id_token: str
    expires_at: datetime


def new_driver_id() -> str:
    return f"drv-{secrets.token_hex(8)}"


def email_of(value: str) -> str:
    """An address as kept and looked up: trimmed, lower case."""
    email = value.strip().lower()
    if not _EMAIL.match(email):
        raise BadRequest("email: not an email address")
    return email


def pending_link(driver: Driver, linked: list[LinkedCard], now: datetime) -> PendingLink | None:
    """The driver's asked-for link still waiting for its card (not yet linked, not expired)."""
    if driver.pending_id_token is None or driver.pending_until is None or driver.pending_until <= now:
        return None
    if any(card.id_token == driver.pending_id_token for card in linked):
        return None
    return PendingLink(driver.pending_id_token, driver.pending_until)
