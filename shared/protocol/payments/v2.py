"""Payments in OCPP 2.0.1 (and 2.1): one SetVariables for every EVSE's controller; 2.0.1 has no
NotifyWebPaymentStarted."""

from __future__ import annotations

from shared.domain.commands import Command, Intent
from shared.protocol.payments import CONTROLLER, BeforeTerminals, EvseSettings, PaymentsCodec, VariableStatus


class V2Payments(BeforeTerminals):
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


CODEC: PaymentsCodec = V2Payments()
