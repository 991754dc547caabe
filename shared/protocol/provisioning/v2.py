"""Provisioning in OCPP 2.0.1 and 2.1."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.provisioning import BootInfo
from shared.protocol.provisioning import ProvisioningCodec


class V2Provisioning:
    def boot_info(self, payload: dict[str, Any]) -> BootInfo:
        station = payload["chargingStation"]
        modem = station.get("modem") or {}
        return BootInfo(
            vendor=station["vendorName"],
            model=station["model"],
            serial_number=station.get("serialNumber"),
            firmware_version=station.get("firmwareVersion"),
            iccid=modem.get("iccid"),
            imsi=modem.get("imsi"),
            reason=payload["reason"],
        )

    def reset(self, hard: bool, evse_id: int | None) -> Intent:
        payload: dict[str, Any] = {"type": "Immediate" if hard else "OnIdle"}
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "Reset", payload

    def reset_asked(self, command: Command) -> dict[str, Any]:
        return {"type": command.payload["type"]}


CODEC: ProvisioningCodec = V2Provisioning()
