"""Transactions on the wire: 1.6's StartTransaction, StopTransaction and MeterValues, 2.x's
TransactionEvent and MeterValues, read into the domain's sessions and meter values, and 2.1's
battery swaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from shared.domain.meter_values import MeterValue, Sample
from shared.protocol.common import parse_timestamp

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.meter_values import MeterValuesReport
    from shared.domain.station_events import StationEvent
    from shared.domain.transactions import SessionStart, SessionStop, TransactionEventReport
    from shared.protocol.versions import Profile


class TransactionsCodec(Protocol):
    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport: ...

    def transaction_start(self, payload: dict[str, Any]) -> SessionStart:
        """OCPP 1.6 StartTransaction."""
        ...

    def transaction_stop(self, payload: dict[str, Any]) -> tuple[SessionStop, tuple[MeterValue, ...]]:
        """OCPP 1.6 StopTransaction, with its transactionData."""
        ...

    def transaction_event(self, payload: dict[str, Any]) -> TransactionEventReport:
        """OCPP 2.x TransactionEvent."""
        ...

    def battery_swap(self, payload: dict[str, Any], at: datetime) -> StationEvent:
        """2.1 BatterySwap: a battery in or out, under the swap's request id."""
        ...


def transactions_codec(profile: Profile) -> TransactionsCodec:
    return cast("TransactionsCodec", profile.codec(__name__))


def read_meter_values(
    items: list[dict[str, Any]], sample: Callable[[dict[str, Any]], Sample]
) -> tuple[MeterValue, ...]:
    """The MeterValue list every version shares; each reads its sampled values its own way."""
    return tuple(
        MeterValue(
            parse_timestamp(item["timestamp"], "meterValue.timestamp"),
            tuple(sample(sampled) for sampled in item["sampledValue"]),
        )
        for item in items
    )
