"""Payments in OCPP 2.0.1 (and 2.1): one SetVariables for every EVSE's controller; 2.0.1 has no
NotifyWebPaymentStarted."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.payments import Settlement
from shared.protocol.common import not_in_version
from shared.protocol.payments import CONTROLLER, EvseSettings, PaymentsCodec, VariableStatus


class V2Payments:
    def provision(self, settings: list[EvseSettings]) -> list[Intent]:
        data = [
            {
                "component": {"name": CONTROLLER, "evse": {"id": s.evse_id}},
                "variable": {"name": name},
                "attributeValue": value,
            }
            for s in settings
            for name, value in s.values()
        ]
        return [("SetVariables", {"setVariableData": data})]

    def statuses(self, command: Command) -> list[VariableStatus]:
        return [
            VariableStatus(
                int((r["component"].get("evse") or {}).get("id", 0)),
                r["variable"]["name"],
                r["attributeStatus"],
            )
            for r in (command.response or {}).get("setVariableResult", [])
        ]

    def web_payment_started(self, evse_id: int, timeout_s: int) -> Intent | None:
        return None

    def settlement(self, payload: dict[str, Any]) -> Settlement:
        raise not_in_version("NotifySettlement")

    def settlement_answer(self, receipt_url: str, receipt_id: str) -> dict[str, Any]:
        raise not_in_version("NotifySettlement")


CODEC: PaymentsCodec = V2Payments()
