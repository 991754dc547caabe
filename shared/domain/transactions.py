"""Transactions: charging sessions, whatever the version: what starts and ends them, how their reports merge
and how much energy they delivered. Plain Python; the store keeps what this decides."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from shared.domain.authorization import IdToken
from shared.domain.meter_values import MeterValue, registers

if TYPE_CHECKING:
    from shared.domain.tariffs import Usage


class UnknownTransaction(Exception):
    """A message names a transaction id the CSMS never gave this charge point."""


class EventKind(StrEnum):
    """Kinds of session event. The first three are OCPP 2.x TransactionEvent types; 1.6
    reports meter values in MeterValues and StopTransaction's transactionData."""

    STARTED = "Started"
    UPDATED = "Updated"
    ENDED = "Ended"
    METER_VALUES = "MeterValues"
    STOP_TRANSACTION = "StopTransaction"


@dataclass(frozen=True)
class SessionStart:
    """What a start message says: OCPP 1.6 StartTransaction or a 2.x TransactionEvent
    (Started). In 1.6 the CSMS assigns the transaction id afterwards."""

    timestamp: datetime
    connector_id: int | None
    evse_id: int | None = None
    id_token: IdToken | None = None
    meter_start_wh: float | None = None
    transaction_id: str | None = None
    remote_start_id: int | None = None
    reservation_id: int | None = None


@dataclass(frozen=True)
class SessionStop:
    """What an end message says: OCPP 1.6 StopTransaction or a 2.x TransactionEvent (Ended)."""

    transaction_id: str
    timestamp: datetime
    meter_stop_wh: float | None = None
    reason: str | None = None
    id_token: IdToken | None = None


@dataclass(frozen=True)
class SessionEvent:
    """One stored report about a session: a 2.x TransactionEvent (with its seqNo) or a 1.6
    message carrying meter values."""

    kind: EventKind
    timestamp: datetime
    seq_no: int | None = None
    trigger_reason: str | None = None
    charging_state: str | None = None
    offline: bool = False
    meter_values: tuple[MeterValue, ...] = ()


@dataclass(frozen=True)
class TransactionEventReport:
    """An OCPP 2.x TransactionEvent in the domain's terms."""

    event: SessionEvent
    transaction_id: str
    evse_id: int | None = None
    connector_id: int | None = None
    id_token: IdToken | None = None
    stopped_reason: str | None = None
    remote_start_id: int | None = None
    reservation_id: int | None = None
    cost_details: dict[str, Any] | None = None  # 2.1: the cost as the station reckons it

    @property
    def start(self) -> SessionStart:
        return SessionStart(
            timestamp=self.event.timestamp,
            connector_id=self.connector_id,
            evse_id=self.evse_id,
            id_token=self.id_token,
            meter_start_wh=register_at(self.event.meter_values, "Transaction.Begin"),
            transaction_id=self.transaction_id,
            remote_start_id=self.remote_start_id,
        )

    @property
    def stop(self) -> SessionStop:
        return SessionStop(
            transaction_id=self.transaction_id,
            timestamp=self.event.timestamp,
            meter_stop_wh=register_at(self.event.meter_values, "Transaction.End"),
            reason=self.stopped_reason,
            id_token=self.id_token,
        )


def register_at(meter_values: Iterable[MeterValue], context: str) -> float | None:
    """The register reading taken in that context (Transaction.Begin or .End), else the latest
    one in the message."""
    values = list(meter_values)
    for mv in values:
        if mv.energy_register_wh is not None and any(s.context == context for s in mv.samples):
            return mv.energy_register_wh
    readings = registers(values)
    return readings[-1][1] if readings else None


def start_key(charge_point_id: str, start: SessionStart) -> str:
    """The natural key of an OCPP 1.6 StartTransaction: a resend carries the same fields."""
    token = start.id_token.value if start.id_token else ""
    fields = (
        charge_point_id,
        str(start.connector_id),
        token,
        start.timestamp.isoformat(),
        repr(start.meter_start_wh),
    )
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


@dataclass(frozen=True)
class Energy:
    start_wh: float | None
    stop_wh: float | None

    @property
    def energy_wh(self) -> float | None:
        if self.start_wh is None or self.stop_wh is None:
            return None
        return max(self.stop_wh - self.start_wh, 0.0)


def session_energy(
    meter_start_wh: float | None, meter_stop_wh: float | None, meter_values: Iterable[MeterValue]
) -> Energy:
    """Stop register minus start register. A register the start or stop message did not carry
    comes from the sampled Energy.Active.Import.Register values: the earliest for the start,
    the latest for the stop (so a session in progress shows its energy so far)."""
    readings = registers(meter_values)
    start = meter_start_wh if meter_start_wh is not None else (readings[0][1] if readings else None)
    stop = meter_stop_wh if meter_stop_wh is not None else (readings[-1][1] if readings else None)
    return Energy(start, stop)


@dataclass(frozen=True)
class Progress:
    """A session's events merged: each seqNo once, in seqNo order (then time)."""

    events: tuple[SessionEvent, ...]
    charging_state: str | None

    @property
    def meter_values(self) -> list[MeterValue]:
        merged = {(mv.timestamp, mv.samples): mv for event in self.events for mv in event.meter_values}
        return sorted(merged.values(), key=lambda mv: mv.timestamp)


def merge(events: Iterable[SessionEvent]) -> Progress:
    """Order-insensitive: the same events in any order, any number of times, merge the same.
    Events with a seqNo order by it (a charge point's clock may jump while offline); 1.6
    events have none and order by time."""
    unique: dict[tuple[object, ...], SessionEvent] = {}
    for event in events:
        key: tuple[object, ...] = (
            ("seq", event.seq_no) if event.seq_no is not None else ("at", event.timestamp, event.meter_values)
        )
        unique.setdefault(key, event)
    ordered = sorted(
        unique.values(),
        key=lambda e: (e.seq_no is None, e.seq_no if e.seq_no is not None else 0, e.timestamp),
    )
    state = None
    for event in ordered:
        if event.charging_state is not None:
            state = event.charging_state
    return Progress(tuple(ordered), state)


@dataclass(frozen=True)
class SessionFilter:
    """Which sessions a listing wants: of one charge point, in progress or ended, started in a
    window, of one id token. Times must carry a zone."""

    charge_point_id: str | None = None
    active: bool | None = None
    started_from: datetime | None = None
    started_to: datetime | None = None
    id_token: str | None = None

    def problem(self) -> str | None:
        for name, value in (("from", self.started_from), ("to", self.started_to)):
            if value is not None and value.tzinfo is None:
                return f"{name} needs a time zone, e.g. 2026-11-24T00:00:00Z"
            try:
                value and value.astimezone(UTC)
            except OverflowError:
                return f"{name} is not a time in UTC's calendar"
        if self.started_from and self.started_to and self.started_from > self.started_to:
            return "from is after to"
        return None


@dataclass(frozen=True, order=True)
class SessionKey:
    """Where a session is kept, in the order of its start (the ISO string its index sorts on):
    a listing merged from several indexes pages on it."""

    started_at: str
    charge_point_id: str
    transaction_id: str


@dataclass(frozen=True)
class SessionSummary:
    """A session as operators and integrations see it (the API and the domain events)."""

    transaction_id: str
    charge_point_id: str
    ocpp_version: str
    evse_id: int | None
    connector_id: int | None
    id_token: str | None
    id_token_type: str | None
    started_at: datetime
    stopped_at: datetime | None
    meter_start_wh: float | None
    meter_stop_wh: float | None
    energy_wh: float | None
    stop_reason: str | None
    active: bool
    remote_start_id: int | None = None
    charging_state: str | None = None
    tariff_id: str | None = None
    cost: dict[str, Any] | None = None  # shared.domain.tariffs.breakdown_json

    @classmethod
    def of_start(
        cls, charge_point_id: str, ocpp_version: str, start: SessionStart, tariff_id: str | None = None
    ) -> SessionSummary:
        """A session as its start message alone describes it (for the started event)."""
        assert start.transaction_id is not None
        return cls(
            transaction_id=start.transaction_id,
            charge_point_id=charge_point_id,
            ocpp_version=ocpp_version,
            evse_id=start.evse_id,
            connector_id=start.connector_id,
            id_token=start.id_token.value if start.id_token else None,
            id_token_type=start.id_token.type if start.id_token else None,
            started_at=start.timestamp,
            stopped_at=None,
            meter_start_wh=start.meter_start_wh,
            meter_stop_wh=None,
            energy_wh=None,
            stop_reason=None,
            active=True,
            remote_start_id=start.remote_start_id,
            tariff_id=tariff_id,
        )


CHARGING = "Charging"  # OCPP 2.x ChargingStateEnumType: the one state in which energy flows


def usage_of(summary: SessionSummary, progress: Progress) -> Usage:
    """What pricing needs of a session: while it is in progress, up to its latest report."""
    from shared.domain.tariffs import Usage  # loaded by what prices, not by every session's store

    known = [e.timestamp for e in progress.events] + [mv.timestamp for mv in progress.meter_values]
    states = sorted(
        (e.timestamp, e.charging_state == CHARGING) for e in progress.events if e.charging_state is not None
    )
    return Usage(
        started_at=summary.started_at,
        ended_at=summary.stopped_at or max([summary.started_at, *known]),
        readings=tuple(registers(progress.meter_values)),
        meter_start_wh=summary.meter_start_wh,
        meter_stop_wh=summary.meter_stop_wh,
        charging_states=tuple(states),
        in_progress=summary.stopped_at is None,
    )
