"""Payments in OCPP 2.1: as in 2.0.1, and NotifyWebPaymentStarted when a page is opened with a
valid code."""

from __future__ import annotations

from shared.domain.commands import Intent
from shared.protocol.payments import PaymentsCodec
from shared.protocol.payments.v2 import V2Payments


class V21Payments(V2Payments):
    def web_payment_started(self, evse_id: int, timeout_s: int) -> Intent | None:
        return "NotifyWebPaymentStarted", {"evseId": evse_id, "timeout": timeout_s}


CODEC: PaymentsCodec = V21Payments()
