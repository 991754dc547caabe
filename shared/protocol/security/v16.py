"""Security in OCPP 1.6 (its security extension): settings by key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.passwords import REDACTED
from shared.domain.provisioning import NetworkSlot
from shared.domain.station_events import StationEvent
from shared.protocol.configuration.v16 import CODEC as CONFIGURATION
from shared.protocol.security import SecurityCodec, read_security_event


class V16Security:
    password_key = "AuthorizationKey"  # the security extension's
    profile_key = "SecurityProfile"  # the security extension's

    def sets_password(self, action: str, payload: dict[str, Any]) -> bool:
        return action == "ChangeConfiguration" and payload.get("key") == self.password_key

    def redacted(self, command: Command) -> dict[str, Any]:
        if self.sets_password(command.action, command.payload):
            return {**command.payload, "value": REDACTED}
        return command.payload

    def raise_security_profile(self, profile: int, network: NetworkSlot | None) -> tuple[list[Intent], int]:
        return [CONFIGURATION.change_configuration(self.profile_key, str(profile))], 0

    def security_event(self, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        return read_security_event(payload, received_at)


CODEC: SecurityCodec = V16Security()
