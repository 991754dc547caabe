"""A paid session's receipt at its `receiptUrl`: public, its address unguessable (the payment's
id and a random token), a page for the phone that paid and the same as a PDF, both read off the
session's CDR (shared.domain.receipts draws them, as it does drivers' receipts)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.data import payments as records
from shared.data import transactions
from shared.domain import receipts as rendering
from shared.domain.errors import Conflict, NotFound
from shared.domain.payments import Payment, PaymentKind, PaymentState
from shared.grants import grants
from shared.services.tariff_and_cost.cdrs import cdr_for
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(reads=("payments", "session-events", "transactions"))

Format = Literal["html", "pdf"]
HOW = {
    PaymentKind.ADHOC: "card, ad hoc",
    PaymentKind.ACCOUNT: "the driver's stored payment method",
    PaymentKind.TERMINAL: "the station's payment terminal",
}


@dataclass(frozen=True)
class Document:
    body: bytes
    content_type: str
    filename: str | None  # a file to save; None: a page to show


def receipt_url(payment: Payment) -> str:
    base = get_settings().public_url or ""
    return f"{base}/pay/receipts/{payment.payment_id}/{payment.receipt_token}"


def _paid(payment: Payment) -> rendering.Paid:
    return rendering.Paid(
        payment.payment_id,
        HOW[payment.kind],
        payment.state.value,
        payment.currency,
        payment.authorized_amount,
        payment.captured_amount,
        payment.refunded_amount,
    )


def receipt(payment_id: str, token: str, fmt: Format, now: datetime) -> Document:
    """1 read of the payment; once its session has ended, 1 of the session and 1 query of its
    events (the CDR). A wrong token is as unknown as a wrong id. A PDF before the end is 409."""
    payment = records.find_payment(payment_id)
    if payment is None or not hmac.compare_digest(payment.receipt_token.encode(), token.encode()):
        raise NotFound("Receipt")
    session = (
        transactions.find_session(payment.charge_point_id, payment.transaction_id)
        if payment.transaction_id and payment.state is not PaymentState.AUTHORIZED
        else None
    )
    cdr = cdr_for(session, now) if session is not None and session.stopped_at else None
    settings = get_settings()
    issuer = rendering.Issuer(settings.operator_name, settings.operator_address, settings.operator_vat_id)
    if fmt == "pdf":
        if cdr is None:
            raise Conflict("The session has not ended (or nothing was charged): no receipt to save")
        body = rendering.receipt_pdf(cdr, issuer, None, _paid(payment))
        return Document(body, "application/pdf", f"receipt-{payment.payment_id}.pdf")
    page = rendering.receipt_html(cdr, issuer, _paid(payment), "?format=pdf")
    return Document(page.encode(), "text/html; charset=utf-8", None)
