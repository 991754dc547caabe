"""Configuration on the wire: 1.6's keys (GetConfiguration, ChangeConfiguration) and 2.x's
device model (NotifyReport, GetVariables, SetVariables, GetBaseReport), as one key space."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from shared.domain.commands import Command, Intent
    from shared.domain.configuration import ConfigurationValue, ReportPart
    from shared.protocol.versions import Profile


class ConfigurationCodec(Protocol):
    def report_part(self, payload: dict[str, Any]) -> ReportPart:
        """OCPP 2.x NotifyReport: a part of the device model, as configuration values."""
        ...

    def read_configuration(self, keys: list[str]) -> Intent: ...
    def change_configuration(self, key: str, value: str) -> Intent: ...

    def configuration_answer(self, command: Command, response: dict[str, Any]) -> list[ConfigurationValue]:
        """Settings an answer read or changed (none for other actions)."""
        ...

    def setting_taken(self, command: Command, response: dict[str, Any], key: str) -> bool | None:
        """Whether a ChangeConfiguration or SetVariables that sets `key` took it: None for any
        other command (so that only those pay for what follows)."""
        ...


def configuration_codec(profile: Profile) -> ConfigurationCodec:
    return cast("ConfigurationCodec", profile.codec(__name__))
