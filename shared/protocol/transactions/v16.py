"""Transactions in OCPP 1.6: StartTransaction, StopTransaction, MeterValues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.authorization import IdToken
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
from shared.domain.transactions import SessionStart, SessionStop, TransactionEventReport
from shared.protocol.common import not_in_version, parse_timestamp
from shared.protocol.transactions import TransactionsCodec, read_meter_values


class V16Transactions:
    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport:
        transaction_id = payload.get("transactionId")
        return MeterValuesReport(
            meter_values=read_meter_values(payload["meterValue"], _sample),
            connector_id=payload["connectorId"],
            transaction_id=None if transaction_id is None else str(transaction_id),
        )

    def transaction_start(self, payload: dict[str, Any]) -> SessionStart:
        return SessionStart(
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            connector_id=payload["connectorId"],
            id_token=IdToken(payload["idTag"]),
            meter_start_wh=float(payload["meterStart"]),
            reservation_id=payload.get("reservationId"),
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
        return stop, read_meter_values(payload.get("transactionData") or [], _sample)

    def transaction_event(self, payload: dict[str, Any]) -> TransactionEventReport:
        raise not_in_version("TransactionEvent")

    def battery_swap(self, payload: dict[str, Any], at: datetime) -> StationEvent:
        raise not_in_version("BatterySwap")


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
        value, unit = normalise(value, unit)  # None for NaN, Infinity and the like: kept as text
    return Sample(
        measurand=sampled.get("measurand", DEFAULT_MEASURAND),
        value=value,
        unit=unit,
        phase=sampled.get("phase"),
        location=sampled.get("location", DEFAULT_LOCATION),
        context=sampled.get("context", DEFAULT_CONTEXT),
        raw=None if value is not None else text,
    )


CODEC: TransactionsCodec = V16Transactions()
