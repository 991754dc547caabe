"""Configuration in OCPP 1.6: keys and values."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.configuration import CHANGED, ConfigurationValue, ReportPart
from shared.protocol.common import not_in_version
from shared.protocol.configuration import ConfigurationCodec


class V16Configuration:
    def report_part(self, payload: dict[str, Any]) -> ReportPart:
        raise not_in_version("NotifyReport")

    def read_configuration(self, keys: list[str]) -> Intent:
        return "GetConfiguration", ({"key": keys} if keys else {})

    def change_configuration(self, key: str, value: str) -> Intent:
        return "ChangeConfiguration", {"key": key, "value": value}

    def configuration_answer(self, command: Command, response: dict[str, Any]) -> list[ConfigurationValue]:
        if command.action == "GetConfiguration":
            return [
                ConfigurationValue(item["key"], item.get("value"), item.get("readonly"))
                for item in response.get("configurationKey") or []
            ]
        if command.action == "ChangeConfiguration" and response.get("status") in CHANGED:
            return [ConfigurationValue(command.payload["key"], command.payload["value"], False)]
        return []

    def setting_taken(self, command: Command, response: dict[str, Any], key: str) -> bool | None:
        if command.action != "ChangeConfiguration" or command.payload.get("key") != key:
            return None
        return response.get("status") in CHANGED


CODEC: ConfigurationCodec = V16Configuration()
