"""Remote control in OCPP 2.0.1 and 2.1: RequestStart/StopTransaction with a remoteStartId."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.remote_control import RemoteStart
from shared.protocol.common import accepted
from shared.protocol.remote_control import RemoteControlCodec
from shared.protocol.v2 import evse_of, request_id


class V2RemoteControl:
    startable = frozenset({"Available", "Occupied"})  # Occupied: the driver plugged in first
    paid_token_type = "Central"  # 2.0.1 has no DirectPayment

    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Intent:
        payload: dict[str, Any] = {
            "idToken": {"idToken": id_token, "type": token_type},
            "remoteStartId": request_id(),
        }
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "RequestStartTransaction", payload

    def paid_start(self, payment_reference: str, evse_id: int) -> Intent:
        return self.remote_start(payment_reference, self.paid_token_type, evse_id, None)

    def remote_stop(self, transaction_id: str) -> Intent:
        return "RequestStopTransaction", {"transactionId": transaction_id}

    def unlock(self, evse_id: int | None, connector_id: int) -> Intent:
        return "UnlockConnector", {
            "evseId": evse_id if evse_id is not None else 1,
            "connectorId": connector_id,
        }

    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Intent:
        return "TriggerMessage", {"requestedMessage": message, **evse_of(evse_id, connector_id)}

    def remote_start_of(self, command: Command, accepted_only: bool = True) -> RemoteStart | None:
        if command.action != "RequestStartTransaction" or (accepted_only and not accepted(command.response)):
            return None
        payload, response = command.payload, command.response or {}
        return RemoteStart(
            command.command_id,
            command.created_at,
            payload["idToken"]["idToken"],
            id_token_type=payload["idToken"]["type"],
            evse_id=payload.get("evseId"),
            remote_start_id=payload["remoteStartId"],
            already_started=response.get("transactionId"),
        )

    def unlock_asked(self, command: Command) -> dict[str, Any]:
        return {"evseId": command.payload["evseId"], "connectorId": command.payload["connectorId"]}


CODEC: RemoteControlCodec = V2RemoteControl()
