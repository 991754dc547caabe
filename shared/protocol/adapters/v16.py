"""OCPP 1.6 messages to and from the domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.charge_points import BootInfo, ConnectorStatusReport
from shared.protocol.timestamps import parse_timestamp


class V16Adapter:
    def boot_info(self, payload: dict[str, Any]) -> BootInfo:
        return BootInfo(
            vendor=payload["chargePointVendor"],
            model=payload["chargePointModel"],
            serial_number=payload.get("chargePointSerialNumber") or payload.get("chargeBoxSerialNumber"),
            firmware_version=payload.get("firmwareVersion"),
            iccid=payload.get("iccid"),
            imsi=payload.get("imsi"),
        )

    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport:
        stamp = payload.get("timestamp")
        return ConnectorStatusReport(
            evse_id=None,
            connector_id=payload["connectorId"],
            status=payload["status"],
            timestamp=parse_timestamp(stamp, "timestamp") if stamp else received_at,
            error_code=payload["errorCode"],
            info=payload.get("info"),
            vendor_id=payload.get("vendorId"),
            vendor_error_code=payload.get("vendorErrorCode"),
        )


ADAPTER = V16Adapter()
