"""Payments: the public page's price and hold, and what operators read of payments. Money is
integer minor units of `currency` (480 is EUR 4.80)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from functions.operator_api.models.common import ApiModel


class PriceComponentOut(ApiModel):
    type: Literal["energy", "time", "session", "idle"]
    unit: Literal["kWh", "min", "session"]
    price_incl_vat: str = Field(description="Tax included, a decimal in the currency's units")
    price_excl_vat: str
    after_minutes: int | None = Field(None, description="Idle time is charged after this grace")


class PriceOut(ApiModel):
    currency: str
    vat_percent: str
    components: list[PriceComponentOut] = Field(
        description="In the order AFIR sets: per kWh, per minute, per session, anything else"
    )
    min_price_incl_vat: str | None = None
    max_price_incl_vat: str | None = None


class PayPageOut(ApiModel):
    charge_point_id: str
    evse_id: int
    can_start: bool
    reason: Literal["offline", "faulted", "busy", "not offered"] | None = None
    price: PriceOut | None
    max_hold: int = Field(description="The largest maxAmount taken, in minor units")


class PayIn(ApiModel):
    payment_method: str = Field(
        min_length=1,
        max_length=255,
        description="A provider's token (the local provider takes Stripe's test tokens, e.g. pm_card_visa)",
    )
    max_amount: int = Field(gt=0, description="The hold: the most the session may cost, in minor units")
    code: str | None = Field(
        None, max_length=64, description="The dynamic code of the QR, when the EVSE shows one"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_form(cls, data: Any) -> Any:
        """The page's form comes parsed as lists of values: one each is the field."""
        if isinstance(data, dict):
            return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in data.items()}
        return data


class PaidOut(ApiModel):
    payment_id: str
    state: str
    authorized_amount: int
    currency: str
    receipt_url: str


class HistoryOut(ApiModel):
    at: datetime
    event: str = Field(description="authorized, captured, released, refunded, failed, settled or declined")
    amount: int
    note: str | None = None


class PaymentOut(ApiModel):
    payment_id: str
    kind: str = Field(description="adhoc, account or terminal")
    state: str = Field(description="authorized, captured, released, declined, failed or refunded")
    currency: str
    authorized_amount: int
    captured_amount: int
    refunded_amount: int
    charge_point_id: str
    evse_id: int
    transaction_id: str | None
    receipt_url: str
    created_at: datetime


class PaymentDetail(PaymentOut):
    history: list[HistoryOut]


class PaymentPage(ApiModel):
    items: list[PaymentOut]
    next_token: str | None = None


class RefundIn(ApiModel):
    amount: int = Field(gt=0, description="In minor units; at most what was captured and not yet refunded")
    reason: str = Field(min_length=1, max_length=500)


class RefundOut(ApiModel):
    refund_id: str
    amount: int


class TotalsOut(ApiModel):
    currency: str
    sessions: int
    cost: int
    captured: int
    settled: int
    refunded: int


class MismatchOut(ApiModel):
    kind: Literal[
        "capture_differs", "settlement_differs", "hold_open", "payment_without_session", "unpaid_session"
    ]
    transaction_id: str | None
    payment_id: str | None
    expected: int | None
    actual: int | None


class ReconciliationOut(ApiModel):
    date: str
    totals: list[TotalsOut]
    mismatches: list[MismatchOut]


class VariableStatusOut(ApiModel):
    evse_id: int
    variable: str
    status: str = Field(description="The station's answer: Accepted, Rejected, RebootRequired, ...")


class WebPaymentsOut(ApiModel):
    url_template: str = Field(description="What the EVSEs' codes open; the secrets are never shown")
    answered: bool = Field(description="False (504): the station had not answered every call in time")
    statuses: list[VariableStatusOut]
