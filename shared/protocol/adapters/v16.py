"""OCPP 1.6 messages to and from the domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.authorization import Authorization, IdToken
from shared.domain.charge_points import BootInfo, ConnectorStatusReport
from shared.domain.metering import (
    DEFAULT_CONTEXT,
    DEFAULT_LOCATION,
    DEFAULT_MEASURAND,
    MeterValue,
    MeterValuesReport,
    Sample,
    normalise,
)
from shared.domain.sessions import SessionStart, SessionStop
from shared.protocol.adapters.base import read_meter_values
from shared.protocol.adapters.commands import V16
from shared.protocol.timestamps import format_timestamp, parse_timestamp


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

    def id_token(self, payload: dict[str, Any]) -> IdToken:
        return IdToken(payload["idTag"])

    def id_token_info(self, authorization: Authorization) -> dict[str, Any]:
        info: dict[str, Any] = {"status": authorization.status.value}
        if authorization.expiry_date is not None:
            info["expiryDate"] = format_timestamp(authorization.expiry_date)
        if authorization.parent_id_token is not None:
            info["parentIdTag"] = authorization.parent_id_token
        return {"idTagInfo": info}

    def meter_values(self, items: list[dict[str, Any]]) -> tuple[MeterValue, ...]:
        return read_meter_values(items, _sample)

    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport:
        transaction_id = payload.get("transactionId")
        return MeterValuesReport(
            meter_values=self.meter_values(payload["meterValue"]),
            connector_id=payload["connectorId"],
            transaction_id=None if transaction_id is None else str(transaction_id),
        )

    def transaction_start(self, payload: dict[str, Any]) -> SessionStart:
        return SessionStart(
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            connector_id=payload["connectorId"],
            id_token=IdToken(payload["idTag"]),
            meter_start_wh=float(payload["meterStart"]),
        )

    def transaction_stop(self, payload: dict[str, Any]) -> tuple[SessionStop, tuple[MeterValue, ...]]:
        id_tag = payload.get("idTag")
        stop = SessionStop(
            transaction_id=str(payload["transactionId"]),
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            meter_stop_wh=float(payload["meterStop"]),
            reason=payload.get("reason", "Local"),  # the specification's default
            id_token=IdToken(id_tag) if id_tag else None,
        )
        return stop, self.meter_values(payload.get("transactionData") or [])


def _sample(sampled: dict[str, Any]) -> Sample:
    """1.6 sends values as strings; signed values (format SignedData) are kept as sent."""
    text = sampled["value"]
    value: float | None = None
    if sampled.get("format", "Raw") == "Raw":
        try:
            value = float(text)
        except ValueError:
            value = None
    unit = sampled.get("unit", "Wh")
    if value is not None:
        value, unit = normalise(value, unit)
    return Sample(
        measurand=sampled.get("measurand", DEFAULT_MEASURAND),
        value=value,
        unit=unit,
        phase=sampled.get("phase"),
        location=sampled.get("location", DEFAULT_LOCATION),
        context=sampled.get("context", DEFAULT_CONTEXT),
        raw=None if value is not None else text,
    )


COMMANDS = V16
ADAPTER = V16Adapter()
