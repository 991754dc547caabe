"""Provisioning in OCPP 1.6."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.provisioning import BootInfo
from shared.protocol.provisioning import ProvisioningCodec


class V16Provisioning:
    def boot_info(self, payload: dict[str, Any]) -> BootInfo:
        return BootInfo(
            vendor=payload["chargePointVendor"],
            model=payload["chargePointModel"],
            serial_number=payload.get("chargePointSerialNumber") or payload.get("chargeBoxSerialNumber"),
            firmware_version=payload.get("firmwareVersion"),
            iccid=payload.get("iccid"),
            imsi=payload.get("imsi"),
        )

    def reset(self, hard: bool, evse_id: int | None) -> Intent:
        return "Reset", {"type": "Hard" if hard else "Soft"}

    def reset_asked(self, command: Command) -> dict[str, Any]:
        return {"type": command.payload["type"]}


CODEC: ProvisioningCodec = V16Provisioning()
