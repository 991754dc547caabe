"""OCPP 2.0.1 and 2.1 messages to and from the domain (the two share these shapes)."""

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
from shared.domain.sessions import EventKind, SessionEvent, TransactionEventReport
from shared.protocol.adapters.base import read_meter_values
from shared.protocol.adapters.commands import V2
from shared.protocol.timestamps import format_timestamp, parse_timestamp

# The type of the group token in an answer: the list keeps a parent's value only, and a
# group is something the CSMS defines.
GROUP_TOKEN_TYPE = "Central"


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

    def id_token(self, payload: dict[str, Any]) -> IdToken:
        return _id_token(payload["idToken"])

    def id_token_info(self, authorization: Authorization) -> dict[str, Any]:
        info: dict[str, Any] = {"status": authorization.status.value}
        if authorization.expiry_date is not None:
            info["cacheExpiryDateTime"] = format_timestamp(authorization.expiry_date)
        if authorization.parent_id_token is not None:
            info["groupIdToken"] = {"idToken": authorization.parent_id_token, "type": GROUP_TOKEN_TYPE}
        return {"idTokenInfo": info}

    def meter_values(self, items: list[dict[str, Any]]) -> tuple[MeterValue, ...]:
        return read_meter_values(items, _sample)

    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport:
        return MeterValuesReport(
            meter_values=self.meter_values(payload["meterValue"]), evse_id=payload["evseId"]
        )

    def transaction_event(self, payload: dict[str, Any]) -> TransactionEventReport:
        info = payload["transactionInfo"]
        evse = payload.get("evse") or {}
        token = payload.get("idToken")
        event = SessionEvent(
            kind=EventKind(payload["eventType"]),
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            seq_no=payload["seqNo"],
            trigger_reason=payload["triggerReason"],
            charging_state=info.get("chargingState"),
            offline=bool(payload.get("offline", False)),
            meter_values=self.meter_values(payload.get("meterValue") or []),
        )
        return TransactionEventReport(
            event=event,
            transaction_id=info["transactionId"],
            evse_id=evse.get("id"),
            connector_id=evse.get("connectorId"),
            id_token=_id_token(token) if token else None,
            stopped_reason=info.get("stoppedReason"),
            remote_start_id=info.get("remoteStartId"),
        )


def _id_token(token: dict[str, Any]) -> IdToken:
    return IdToken(token["idToken"], token["type"])


def _sample(sampled: dict[str, Any]) -> Sample:
    unit_of_measure = sampled.get("unitOfMeasure") or {}
    value, unit = normalise(
        float(sampled["value"]), unit_of_measure.get("unit", "Wh"), unit_of_measure.get("multiplier", 0)
    )
    return Sample(
        measurand=sampled.get("measurand", DEFAULT_MEASURAND),
        value=value,
        unit=unit,
        phase=sampled.get("phase"),
        location=sampled.get("location", DEFAULT_LOCATION),
        context=sampled.get("context", DEFAULT_CONTEXT),
    )


COMMANDS = V2
ADAPTER = V2Adapter()
