"""Payments in OCPP 1.6: the controller as `WebPaymentsCtrlr.{connectorId}.{Variable}` keys, one
ChangeConfiguration each; no NotifyWebPaymentStarted."""

from __future__ import annotations

from shared.domain.commands import Command, Intent
from shared.protocol.payments import CONTROLLER, BeforeTerminals, EvseSettings, PaymentsCodec, VariableStatus


class V16Payments(BeforeTerminals):
    def provision(self, settings: list[EvseSettings]) -> list[Intent]:
        return [
            ("ChangeConfiguration", {"key": f"{CONTROLLER}.{s.evse_id}.{name}", "value": value})
            for s in settings
            for name, value in s.values()
        ]

    def statuses(self, command: Command) -> list[VariableStatus]:
        _, evse, variable = str(command.payload["key"]).split(".", 2)
        return [VariableStatus(int(evse), variable, str((command.response or {}).get("status", "")))]


CODEC: PaymentsCodec = V16Payments()
