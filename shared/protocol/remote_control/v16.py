"""Remote control in OCPP 1.6."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.remote_control import RemoteStart
from shared.protocol.common import accepted
from shared.protocol.remote_control import RemoteControlCodec


class V16RemoteControl:
    startable = frozenset({"Available", "Preparing"})

    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Intent:
        payload: dict[str, Any] = {"idTag": id_token}
        if connector_id is not None:
            payload["connectorId"] = connector_id
        return "RemoteStartTransaction", payload

    def paid_start(self, payment_reference: str, evse_id: int) -> Intent:
        return self.remote_start(payment_reference, "", None, evse_id)  # an idTag of 20 characters

    def remote_stop(self, transaction_id: str) -> Intent:
        return "RemoteStopTransaction", {"transactionId": int(transaction_id)}

    def unlock(self, evse_id: int | None, connector_id: int) -> Intent:
        return "UnlockConnector", {"connectorId": connector_id}

    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Intent:
        payload: dict[str, Any] = {"requestedMessage": message}
        if connector_id is not None:
            payload["connectorId"] = connector_id
        return "TriggerMessage", payload

    def remote_start_of(self, command: Command, accepted_only: bool = True) -> RemoteStart | None:
        if command.action != "RemoteStartTransaction" or (accepted_only and not accepted(command.response)):
            return None
        payload = command.payload
        return RemoteStart(
            command.command_id, command.created_at, payload["idTag"], connector_id=payload.get("connectorId")
        )

    def unlock_asked(self, command: Command) -> dict[str, Any]:
        return {"connectorId": command.payload["connectorId"]}


CODEC: RemoteControlCodec = V16RemoteControl()
