"""Who may charge: the operator's id-token list applied to a presented token, the same rules
for Authorize, StartTransaction, StopTransaction and TransactionEvent in every version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class AuthorizationStatus(StrEnum):
    ACCEPTED = "Accepted"
    BLOCKED = "Blocked"
    EXPIRED = "Expired"
    INVALID = "Invalid"


# OCPP 2.x: a session started without identification (free charging, or a plug-and-charge
# station configured so) presents this type with an empty token; there is nothing to check.
NO_AUTHORIZATION = "NoAuthorization"


@dataclass(frozen=True)
class IdToken:
    """A presented token: an idTag in 1.6, an IdTokenType (value and type) in 2.x."""

    value: str
    type: str | None = None


@dataclass(frozen=True)
class TokenEntry:
    """An entry of the operator's list."""

    id_token: str
    status: AuthorizationStatus
    token_type: str | None = None  # None: any type
    expiry_date: datetime | None = None
    parent_id_token: str | None = None
    driver_id: str | None = None  # the driver's account it is linked to
    pending_driver_id: str | None = None  # a driver waiting for it to be presented, until when
    pending_until: datetime | None = None
    tenant_id: str | None = None  # as stored: None is the default tenant's

    def awaited_by(self, now: datetime) -> str | None:
        """The driver whose link this presentation makes, if one is waiting for it."""
        waiting = self.pending_driver_id is not None and self.driver_id is None
        return self.pending_driver_id if waiting and self.pending_until and now < self.pending_until else None


@dataclass(frozen=True)
class Authorization:
    status: AuthorizationStatus
    expiry_date: datetime | None = None
    parent_id_token: str | None = None
    # A paid session's hold, in the currency's units: the most its session may cost.
    max_cost: Decimal | None = None

    @property
    def accepted(self) -> bool:
        return self.status is AuthorizationStatus.ACCEPTED


def authorize(token: IdToken, entry: TokenEntry | None, now: datetime) -> Authorization:
    """Unknown tokens are Invalid, as are tokens of another type than the entry names; an
    entry past its expiry is Expired whatever its stored status says, unless it is
    Blocked (the stronger answer)."""
    if token.type == NO_AUTHORIZATION:
        return Authorization(AuthorizationStatus.ACCEPTED)
    if entry is None or (entry.token_type is not None and token.type not in (None, entry.token_type)):
        return Authorization(AuthorizationStatus.INVALID)
    status = entry.status
    if status is AuthorizationStatus.ACCEPTED and entry.expiry_date is not None and entry.expiry_date <= now:
        status = AuthorizationStatus.EXPIRED
    return Authorization(status, entry.expiry_date, entry.parent_id_token)
