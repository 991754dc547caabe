"""OCPP 2.0.1 and 2.1 messages to and from the domain (the two share these shapes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.charge_points import BootInfo, ConnectorStatusReport
from shared.protocol.timestamps import parse_timestamp


class V2Adapter:
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

    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport:
        return ConnectorStatusReport(
            evse_id=payload["evseId"],
            connector_id=payload["connectorId"],
            status=payload["connectorStatus"],
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
        )


ADAPTER = V2Adapter()
