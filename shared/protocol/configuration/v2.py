"""Configuration in OCPP 2.0.1 and 2.1: the device model's components and variables."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.configuration import CHANGED, MAX_REPORT_PARTS, ConfigurationValue, ReportPart
from shared.protocol.configuration import ConfigurationCodec
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.v2 import component_variable, key_of, names, request_id, sets


class V2Configuration:
    def report_part(self, payload: dict[str, Any]) -> ReportPart:
        if not 0 <= payload["seqNo"] < MAX_REPORT_PARTS:
            raise RpcError(
                ErrorKind.PROPERTY_CONSTRAINT,
                f"seqNo: {payload['seqNo']} is not a part of a report (0 to {MAX_REPORT_PARTS - 1})",
            )
        values = [
            ConfigurationValue(
                key_of(item["component"], item["variable"], attribute.get("type")),
                attribute.get("value"),
                attribute.get("mutability") == "ReadOnly" if "mutability" in attribute else None,
            )
            for item in payload.get("reportData") or []
            for attribute in item["variableAttribute"]
        ]
        return ReportPart(payload["requestId"], payload["seqNo"], not payload.get("tbc", False), values)

    def read_configuration(self, keys: list[str]) -> Intent:
        if not keys:
            return "GetBaseReport", {"requestId": request_id(), "reportBase": "FullInventory"}
        return "GetVariables", {"getVariableData": [component_variable(key) for key in keys]}

    def change_configuration(self, key: str, value: str) -> Intent:
        return "SetVariables", {"setVariableData": [{**component_variable(key), "attributeValue": value}]}

    def configuration_answer(self, command: Command, response: dict[str, Any]) -> list[ConfigurationValue]:
        if command.action == "GetVariables":
            return [
                ConfigurationValue(
                    key_of(r["component"], r["variable"], r.get("attributeType")), r.get("attributeValue")
                )
                for r in response.get("getVariableResult") or []
                if r.get("attributeStatus") == "Accepted"
            ]
        if command.action == "SetVariables":
            asked = {
                key_of(d["component"], d["variable"], d.get("attributeType")): d["attributeValue"]
                for d in command.payload.get("setVariableData") or []
            }
            changed = (
                key_of(r["component"], r["variable"], r.get("attributeType"))
                for r in response.get("setVariableResult") or []
                if r.get("attributeStatus") in CHANGED
            )
            return [ConfigurationValue(key, asked[key], False) for key in changed if key in asked]
        return []

    def setting_taken(self, command: Command, response: dict[str, Any], key: str) -> bool | None:
        if not sets(command.action, command.payload, key):
            return None
        results = [r for r in response.get("setVariableResult") or [] if names(r, key)]
        return bool(results) and all(r.get("attributeStatus") in CHANGED for r in results)


CODEC: ConfigurationCodec = V2Configuration()
