"""What the CSMS keeps from answers to its commands, by action: configuration read or changed,
availability, reset and unlock results, the local list version. Actions of every version
live side by side: their names differ where their shapes do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from shared.data import commands
from shared.data.models import CommandRecord
from shared.domain.configuration import variable_key
from shared.observability import logger
from shared.protocol.timestamps import format_timestamp

Effect = Callable[[CommandRecord, dict[str, Any], datetime], None]
_EFFECTS: dict[str, Effect] = {}

CHANGED = ("Accepted", "RebootRequired")


def effect(*actions: str) -> Callable[[Effect], Effect]:
    def register(function: Effect) -> Effect:
        for action in actions:
            _EFFECTS[action] = function
        return function

    return register


def apply_effects(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    """Never fails the answer: the command is settled already; a failure here is logged."""
    function = _EFFECTS.get(command.action)
    if function is None:
        return
    try:
        function(command, response, now)
    except Exception:
        logger.exception("Keeping what an answer said failed", extra={"command_id": command.command_id})


def _result(command: CommandRecord, response: dict[str, Any], now: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "status": response.get("status"),
        "at": format_timestamp(now),
        "commandId": command.command_id,
        **fields,
    }


@effect("GetConfiguration")
def _got_configuration(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    values = [(k["key"], k.get("value"), k.get("readonly")) for k in response.get("configurationKey") or []]
    commands.put_configuration(command.charge_point_id, values, now)


@effect("ChangeConfiguration")
def _changed_configuration(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    if response["status"] in CHANGED:
        commands.put_configuration(
            command.charge_point_id, [(command.payload["key"], command.payload["value"], False)], now
        )


@effect("GetVariables")
def _got_variables(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    values = [
        (variable_key(r["component"], r["variable"], r.get("attributeType")), r.get("attributeValue"), None)
        for r in response.get("getVariableResult") or []
        if r.get("attributeStatus") == "Accepted"
    ]
    commands.put_configuration(command.charge_point_id, values, now)


@effect("SetVariables")
def _set_variables(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    asked = {
        variable_key(d["component"], d["variable"], d.get("attributeType")): d["attributeValue"]
        for d in command.payload.get("setVariableData") or []
    }
    values = []
    for r in response.get("setVariableResult") or []:
        key = variable_key(r["component"], r["variable"], r.get("attributeType"))
        if r.get("attributeStatus") in CHANGED and key in asked:
            values.append((key, asked[key], False))
    commands.put_configuration(command.charge_point_id, values, now)


@effect("ChangeAvailability")
def _availability(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    payload = command.payload
    requested = payload.get("type") or payload.get("operationalStatus")
    where = (
        {"connectorId": payload["connectorId"]} if "connectorId" in payload else {"evse": payload.get("evse")}
    )
    commands.record_result(
        command.charge_point_id, "availability", _result(command, response, now, requested=requested, **where)
    )


@effect("Reset")
def _reset(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    commands.record_result(
        command.charge_point_id, "reset", _result(command, response, now, type=command.payload["type"])
    )


@effect("UnlockConnector")
def _unlock(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    where = {k: command.payload[k] for k in ("connectorId", "evseId") if k in command.payload}
    commands.record_result(command.charge_point_id, "unlock", _result(command, response, now, **where))


@effect("SendLocalList")
def _sent_local_list(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    if response["status"] == "Accepted":
        commands.set_local_list_version(command.charge_point_id, int(command.payload["listVersion"]))


@effect("GetLocalListVersion")
def _local_list_version(command: CommandRecord, response: dict[str, Any], now: datetime) -> None:
    commands.set_local_list_version(command.charge_point_id, int(response["listVersion"]))
