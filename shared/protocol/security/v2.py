"""Security in OCPP 2.0.1: settings of the device model, network connection profiles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.errors import CommandRefused
from shared.domain.passwords import REDACTED
from shared.domain.provisioning import NetworkSlot
from shared.domain.station_events import StationEvent
from shared.protocol.configuration.v2 import CODEC as CONFIGURATION
from shared.protocol.provisioning.v2 import CODEC as PROVISIONING
from shared.protocol.security import SecurityCodec, read_security_event
from shared.protocol.v2 import names, sets


class V2Security:
    password_key = "SecurityCtrlr/BasicAuthPassword"
    profile_key = "OCPPCommCtrlr/NetworkConfigurationPriority"
    # NetworkConnectionProfile.ocppVersion for this version's connection.
    network_version = "OCPP20"

    def sets_password(self, action: str, payload: dict[str, Any]) -> bool:
        return sets(action, payload, self.password_key)

    def redacted(self, command: Command) -> dict[str, Any]:
        if not self.sets_password(command.action, command.payload):
            return command.payload
        data = command.payload["setVariableData"]
        masked = [{**d, "attributeValue": REDACTED} if names(d, self.password_key) else d for d in data]
        return {**command.payload, "setVariableData": masked}

    def raise_security_profile(self, profile: int, network: NetworkSlot | None) -> tuple[list[Intent], int]:
        if network is None:
            raise CommandRefused(
                "A 2.x station moves to a profile through a network connection profile: "
                "give configurationSlot and csmsUrl"
            )
        connection = {
            "ocppVersion": self.network_version,
            "ocppTransport": "JSON",
            "ocppCsmsUrl": network.csms_url,
            "messageTimeout": network.message_timeout_s,
            "securityProfile": profile,
            "ocppInterface": network.interface,
        }
        return [
            ("SetNetworkProfile", {"configurationSlot": network.slot, "connectionData": connection}),
            CONFIGURATION.change_configuration(self.profile_key, network.priority),
            PROVISIONING.reset(False, None),
        ], 1

    def security_event(self, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        return read_security_event(payload, received_at)


CODEC: SecurityCodec = V2Security()
