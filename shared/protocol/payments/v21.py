"""Payments in OCPP 2.1: as in 2.0.1, and NotifyWebPaymentStarted when a page is opened with a
valid code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.domain.commands import Intent
from shared.domain.payments import Settlement
from shared.protocol.common import parse_timestamp
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.payments import PaymentsCodec
from shared.protocol.payments.v2 import V2Payments

# Above any amount a session could settle, and within what minor units are counted in.
LARGEST_AMOUNT = Decimal(10) ** 12


class V21Payments(V2Payments):
    def web_payment_started(self, evse_id: int, timeout_s: int) -> Intent | None:
        return "NotifyWebPaymentStarted", {"evseId": evse_id, "timeout": timeout_s}

    def settlement(self, payload: dict[str, Any]) -> Settlement:
        amount = Decimal(str(payload["settlementAmount"]))
        if not amount.is_finite() or not 0 <= amount < LARGEST_AMOUNT:
            raise RpcError(
                ErrorKind.PROPERTY_CONSTRAINT,
                f"settlementAmount: must be at least 0 and below {LARGEST_AMOUNT}",
            )
        return Settlement(
            psp_ref=payload["pspRef"],
            status=payload["status"],
            amount=amount,
            settled_at=parse_timestamp(payload["settlementTime"], "settlementTime"),
            transaction_id=payload.get("transactionId") or None,
            status_info=payload.get("statusInfo"),
        )

    def settlement_answer(self, receipt_url: str, receipt_id: str) -> dict[str, Any]:
        return {"receiptUrl": receipt_url[:2000], "receiptId": receipt_id[:50]}


CODEC: PaymentsCodec = V21Payments()
