"""Transactions in OCPP 2.0.1 and 2.1: TransactionEvent and MeterValues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.meter_values import (
    DEFAULT_CONTEXT,
    DEFAULT_LOCATION,
    DEFAULT_MEASURAND,
    MeterValue,
    MeterValuesReport,
    Sample,
    normalise,
)
from shared.domain.station_events import StationEvent
from shared.domain.transactions import (
    EventKind,
    SessionEvent,
    SessionStart,
    SessionStop,
    TransactionEventReport,
)
from shared.protocol.common import not_in_version, parse_timestamp
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.transactions import TransactionsCodec, read_meter_values
from shared.protocol.v2 import id_token_of


class V2Transactions:
    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport:
        return MeterValuesReport(
            meter_values=read_meter_values(payload["meterValue"], _sample), evse_id=payload["evseId"]
        )

    def transaction_start(self, payload: dict[str, Any]) -> SessionStart:
        raise not_in_version("StartTransaction")

    def transaction_stop(self, payload: dict[str, Any]) -> tuple[SessionStop, tuple[MeterValue, ...]]:
        raise not_in_version("StopTransaction")

    def transaction_event(self, payload: dict[str, Any]) -> TransactionEventReport:
        info = payload["transactionInfo"]
        if not info["transactionId"]:
            raise RpcError(ErrorKind.PROPERTY_CONSTRAINT, "transactionInfo/transactionId: must not be empty")
        evse = payload.get("evse") or {}
        token = payload.get("idToken")
        event = SessionEvent(
            kind=EventKind(payload["eventType"]),
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            seq_no=payload["seqNo"],
            trigger_reason=payload["triggerReason"],
            charging_state=info.get("chargingState"),
            offline=bool(payload.get("offline", False)),
            meter_values=read_meter_values(payload.get("meterValue") or [], _sample),
        )
        return TransactionEventReport(
            event=event,
            transaction_id=info["transactionId"],
            evse_id=evse.get("id"),
            connector_id=evse.get("connectorId"),
            id_token=id_token_of(token) if token else None,
            stopped_reason=info.get("stoppedReason"),
            remote_start_id=info.get("remoteStartId"),
            reservation_id=payload.get("reservationId"),
            cost_details=payload.get("costDetails"),
        )

    def battery_swap(self, payload: dict[str, Any], at: datetime) -> StationEvent:
        raise not_in_version("BatterySwap")


def _sample(sampled: dict[str, Any]) -> Sample:
    unit_of_measure = sampled.get("unitOfMeasure") or {}
    sent = float(sampled["value"])
    value, unit = normalise(sent, unit_of_measure.get("unit", "Wh"), unit_of_measure.get("multiplier", 0))
    return Sample(
        measurand=sampled.get("measurand", DEFAULT_MEASURAND),
        value=value,
        unit=unit,
        phase=sampled.get("phase"),
        location=sampled.get("location", DEFAULT_LOCATION),
        context=sampled.get("context", DEFAULT_CONTEXT),
        # A multiplier that takes it past any reading: what was sent is kept, flagged by value None.
        raw=None if value is not None else f"{sampled['value']}e{unit_of_measure.get('multiplier', 0)}",
    )


CODEC: TransactionsCodec = V2Transactions()
