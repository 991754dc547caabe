"""Operator intentions to the action and payload of a charge point's version: the friendly
command endpoints' one seam. Schema validation of the result happens when it is submitted."""

from __future__ import annotations

import random
from typing import Any, Protocol

Command = tuple[str, dict[str, Any]]


class CommandBuilder(Protocol):
    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Command: ...
    def remote_stop(self, transaction_id: str) -> Command: ...
    def reset(self, hard: bool, evse_id: int | None) -> Command: ...
    def unlock(self, evse_id: int | None, connector_id: int) -> Command: ...
    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Command: ...
    def read_configuration(self, keys: list[str]) -> Command: ...
    def change_configuration(self, key: str, value: str) -> Command: ...
    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Command: ...


def _request_id() -> int:
    return random.randint(1, 2**31 - 1)


class V16Commands:
    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Command:
        payload: dict[str, Any] = {"idTag": id_token}
        if connector_id is not None:
            payload["connectorId"] = connector_id
        return "RemoteStartTransaction", payload

    def remote_stop(self, transaction_id: str) -> Command:
        return "RemoteStopTransaction", {"transactionId": int(transaction_id)}

    def reset(self, hard: bool, evse_id: int | None) -> Command:
        return "Reset", {"type": "Hard" if hard else "Soft"}

    def unlock(self, evse_id: int | None, connector_id: int) -> Command:
        return "UnlockConnector", {"connectorId": connector_id}

    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Command:
        return "ChangeAvailability", {
            "connectorId": connector_id or 0,
            "type": "Operative" if operative else "Inoperative",
        }

    def read_configuration(self, keys: list[str]) -> Command:
        return "GetConfiguration", ({"key": keys} if keys else {})

    def change_configuration(self, key: str, value: str) -> Command:
        return "ChangeConfiguration", {"key": key, "value": value}

    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Command:
        payload: dict[str, Any] = {"requestedMessage": message}
        if connector_id is not None:
            payload["connectorId"] = connector_id
        return "TriggerMessage", payload


def _evse(evse_id: int | None, connector_id: int | None) -> dict[str, Any]:
    if evse_id is None:
        return {}
    evse: dict[str, Any] = {"id": evse_id}
    if connector_id is not None:
        evse["connectorId"] = connector_id
    return {"evse": evse}


def _component_variable(key: str) -> dict[str, Any]:
    """`Component/Variable`, the configuration endpoint's 2.x key form."""
    component, _, variable = key.partition("/")
    return {"component": {"name": component}, "variable": {"name": variable or component}}


class V2Commands:
    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Command:
        payload: dict[str, Any] = {
            "idToken": {"idToken": id_token, "type": token_type},
            "remoteStartId": _request_id(),
        }
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "RequestStartTransaction", payload

    def remote_stop(self, transaction_id: str) -> Command:
        return "RequestStopTransaction", {"transactionId": transaction_id}

    def reset(self, hard: bool, evse_id: int | None) -> Command:
        payload: dict[str, Any] = {"type": "Immediate" if hard else "OnIdle"}
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "Reset", payload

    def unlock(self, evse_id: int | None, connector_id: int) -> Command:
        return "UnlockConnector", {
            "evseId": evse_id if evse_id is not None else 1,
            "connectorId": connector_id,
        }

    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Command:
        status = "Operative" if operative else "Inoperative"
        return "ChangeAvailability", {"operationalStatus": status, **_evse(evse_id, connector_id)}

    def read_configuration(self, keys: list[str]) -> Command:
        if not keys:
            return "GetBaseReport", {"requestId": _request_id(), "reportBase": "FullInventory"}
        return "GetVariables", {"getVariableData": [_component_variable(key) for key in keys]}

    def change_configuration(self, key: str, value: str) -> Command:
        return "SetVariables", {"setVariableData": [{**_component_variable(key), "attributeValue": value}]}

    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Command:
        return "TriggerMessage", {"requestedMessage": message, **_evse(evse_id, connector_id)}


V16 = V16Commands()
V2 = V2Commands()
