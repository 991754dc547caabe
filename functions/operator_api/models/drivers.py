"""Drivers' accounts: what operators make and look up, and what a driver sees of its own."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from functions.operator_api.models.accounts import TenantId
from functions.operator_api.models.common import ApiModel
from shared.domain.drivers import Driver, LinkedCard, PendingLink
from shared.domain.transactions import SessionSummary
from shared.services.drivers.accounts import Account

IdTokenValue = Field(min_length=1, max_length=255, description="The card's id token (as stations send it)")


class DriverIn(ApiModel):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320)
    tenant_id: TenantId | None = Field(
        default=None, description="The platform admin's choice; else the caller's"
    )


class CardOut(ApiModel):
    id_token: str
    status: str = Field(description="The card's authorization status: Accepted, Blocked, Expired, ...")
    linked_at: datetime

    @classmethod
    def of(cls, card: LinkedCard) -> CardOut:
        return cls(id_token=card.id_token, status=card.status, linked_at=card.linked_at)


class PendingLinkOut(ApiModel):
    id_token: str
    state: str = "pending"
    expires_at: datetime = Field(description="Present the card at a station before this")

    @classmethod
    def of(cls, link: PendingLink) -> PendingLinkOut:
        return cls(id_token=link.id_token, expires_at=link.expires_at)


class DriverOut(ApiModel):
    driver_id: str
    name: str
    email: str
    tenant_id: str | None
    created_at: datetime

    @classmethod
    def fields_of(cls, driver: Driver) -> dict[str, object]:
        return {
            "driver_id": driver.driver_id,
            "name": driver.name,
            "email": driver.email,
            "tenant_id": driver.tenant_id,
            "created_at": driver.created_at,
        }

    @classmethod
    def of(cls, driver: Driver) -> DriverOut:
        return cls(**cls.fields_of(driver))


class NewDriverOut(DriverOut):
    key: str = Field(description="The driver signs in with it (Bearer); shown this once, never again")


class DriverKeyOut(ApiModel):
    key: str = Field(description="The driver's new key; the one before it no longer works")


class AccountOut(DriverOut):
    id_tokens: list[CardOut]
    pending_links: list[PendingLinkOut]

    @classmethod
    def of_account(cls, account: Account) -> AccountOut:
        return cls(
            **DriverOut.fields_of(account.driver),
            id_tokens=[CardOut.of(card) for card in account.cards],
            pending_links=[PendingLinkOut.of(account.pending)] if account.pending else [],
        )


class DriverPage(ApiModel):
    items: list[DriverOut]
    next_token: str | None = None


class LinkIn(ApiModel):
    id_token: str = IdTokenValue


class CostOut(ApiModel):
    excl_vat: float
    incl_vat: float


class DriverSessionOut(ApiModel):
    charge_point_id: str
    transaction_id: str
    id_token: str | None
    started_at: datetime
    stopped_at: datetime | None
    duration_seconds: int
    energy_wh: float | None
    currency: str | None
    cost: CostOut | None
    active: bool

    @classmethod
    def of(cls, session: SessionSummary, now: datetime) -> DriverSessionOut:
        cost = session.cost
        return cls(
            charge_point_id=session.charge_point_id,
            transaction_id=session.transaction_id,
            id_token=session.id_token,
            started_at=session.started_at,
            stopped_at=session.stopped_at,
            duration_seconds=int(((session.stopped_at or now) - session.started_at).total_seconds()),
            energy_wh=session.energy_wh,
            currency=cost["currency"] if cost else None,
            cost=CostOut(excl_vat=cost["totalExclVat"], incl_vat=cost["totalInclVat"]) if cost else None,
            active=session.active,
        )


class DriverSessionPage(ApiModel):
    items: list[DriverSessionOut]
    next_token: str | None = None
