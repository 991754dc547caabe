"""Payments in OCPP 1.6: the controller as `WebPaymentsCtrlr.{connectorId}.{Variable}` keys, one
ChangeConfiguration each; no NotifyWebPaymentStarted."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.payments import Settlement
from shared.protocol.common import not_in_version
from shared.protocol.payments import CONTROLLER, EvseSettings, PaymentsCodec, VariableStatus


class V16Payments:
    def provision(self, settings: list[EvseSettings]) -> list[Intent]:
        return [
            ("ChangeConfiguration", {"key": f"{CONTROLLER}.{s.evse_id}.{name}", "value": value})
            for s in settings
            for name, value in s.values()
        ]

    def statuses(self, command: Command) -> list[VariableStatus]:
        _, evse, variable = str(command.payload["key"]).split(".", 2)
        return [VariableStatus(int(evse), variable, str((command.response or {}).get("status", "")))]

    def web_payment_started(self, evse_id: int, timeout_s: int) -> Intent | None:
        return None

    def settlement(self, payload: dict[str, Any]) -> Settlement:
        raise not_in_version("NotifySettlement")

    def settlement_answer(self, receipt_url: str, receipt_id: str) -> dict[str, Any]:
        raise not_in_version("NotifySettlement")


CODEC: PaymentsCodec = V16Payments()
