"""Transactions: charging sessions and their meter values, exactly once whatever the charge
point resends or reorders, and the sessions as operators read them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.aws.event_bus import DomainEvent
from shared.data import session_events, transactions
from shared.data.dynamo import Page
from shared.data.transactions import AssignedStart
from shared.domain.errors import BadRequest, NotFound
from shared.domain.meter_values import ENERGY_REGISTER, MeterValue, MeterValuesReport, Sample
from shared.domain.tariffs import Breakdown
from shared.domain.transactions import (
    EventKind,
    SessionEvent,
    SessionFilter,
    SessionStart,
    SessionStop,
    SessionSummary,
    TransactionEventReport,
    UnknownTransaction,
    start_key,
)
from shared.grants import grants
from shared.observability import logger, metrics
from shared.services import remote_control, reservations
from shared.services.domain_events import publish
from shared.services.station_tenant import tenant_of_charge_point
from shared.services.tariff_and_cost import pricing

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "session-events", "transaction-starts", "transactions"),
    writes=("counters", "session-events", "transaction-starts", "transactions"),
    indexes=("transactions/active", "transactions/by-charge-point", "transactions/by-year"),
)


@dataclass(frozen=True)
class SessionDetail:
    summary: SessionSummary
    meter_values: list[MeterValue]
    events: tuple[SessionEvent, ...]
    remote_start_command_id: str | None
    station_cost: dict[str, Any] | None = None
    priority_charging: bool | None = None  # 2.1: as the station last told (NotifyPriorityCharging)


# Tries at a fresh id when the one drawn names a session already (it never should).
ID_ATTEMPTS = 3


def started(charge_point_id: str, ocpp_version: str, start: SessionStart, at: datetime) -> str:
    """OCPP 1.6 StartTransaction: the CSMS names the transaction. A resend of the same start
    (same connector, idTag, timestamp and meterStart) gets the id it got the first time; an
    id is never given twice."""
    key = start_key(charge_point_id, start)
    transaction_id = transactions.find_start(key)
    if transaction_id is not None:
        started_again(charge_point_id, ocpp_version, replace(start, transaction_id=transaction_id))
        return transaction_id
    tariff = pricing.tariff_json(charge_point_id, start.id_token.value if start.id_token else None)
    tenant = tenant_of_charge_point(charge_point_id)
    for _ in range(ID_ATTEMPTS):
        assigned = replace(start, transaction_id=str(transactions.next_transaction_id()))
        outcome = transactions.record_assigned_start(
            charge_point_id, ocpp_version, assigned, key, at, tariff, tenant
        )
        if outcome is AssignedStart.STORED:
            summary = SessionSummary.of_start(charge_point_id, ocpp_version, assigned, _id_of(tariff))
            publish(DomainEvent.SESSION_STARTED, summary)
            if start.reservation_id is not None:
                reservations.used(charge_point_id, start.reservation_id, summary.transaction_id, at)
            return summary.transaction_id
        if outcome is AssignedStart.RESENT:  # a copy of this start, handled at the same moment, was first
            first = transactions.find_start(key)
            assert first is not None
            return first
        logger.error("A drawn transaction id names a session already", extra={"id": assigned.transaction_id})
    raise RuntimeError("no free transaction id")


def stopped(
    charge_point_id: str,
    ocpp_version: str,
    stop: SessionStop,
    meter_values: tuple[MeterValue, ...],
    at: datetime,
) -> None:
    """OCPP 1.6 StopTransaction, with its transactionData kept as meter values. A resend
    changes nothing. The id must be one this charge point was given: a stop for any other is
    kept apart as unmatched, with a security event, and touches no session."""
    event = SessionEvent(EventKind.STOP_TRANSACTION, stop.timestamp, meter_values=meter_values)
    try:
        session = transactions.record_stop(
            charge_point_id,
            ocpp_version,
            stop,
            at,
            assigned_only=True,
            tenant_id=tenant_of_charge_point(charge_point_id),
        )
    except UnknownTransaction:
        register = Sample(ENERGY_REGISTER, stop.meter_stop_wh, "Wh", context="Transaction.End")
        kept = replace(event, meter_values=(*meter_values, MeterValue(stop.timestamp, (register,))))
        _unmatched(
            charge_point_id,
            "StopTransaction",
            stop.transaction_id,
            replace(kept, trigger_reason=stop.reason),
            at,
        )
        return
    # After the stop, and on a resend too: the session's energy sees these values.
    if meter_values:
        session_events.record_event(
            session_events.session_stream(charge_point_id, stop.transaction_id), event, at
        )
    if session is not None:
        summary, cost = pricing.with_cost(session)
        publish(DomainEvent.SESSION_ENDED, summary)
        pricing.final_cost(session, cost, at)
    else:
        ended_again(charge_point_id, stop.transaction_id)


def started_again(charge_point_id: str, ocpp_version: str, start: SessionStart) -> None:
    """A resent start: the station had no answer, so the first may have stopped between storing
    the session and publishing it (a timeout, a bus that failed). SessionStarted goes out again
    while the session runs, for its reactions read the session as it is then (docs/faults.md);
    not once it has ended, when its SessionEnded has said more. 1 read."""
    assert start.transaction_id is not None
    session = transactions.find_session(charge_point_id, start.transaction_id)
    if session is None or session.stopped_at:
        return
    publish(
        DomainEvent.SESSION_STARTED,
        SessionSummary.of_start(charge_point_id, ocpp_version, start, _id_of(session.tariff)),
    )


def ended_again(charge_point_id: str, transaction_id: str) -> Breakdown | None:
    """A resent end: the station had no answer, so the first may have stopped between storing
    the end and publishing it (a timeout, a bus that failed). SessionEnded goes out again, for
    its reactions count a session once (docs/faults.md). 1 read, and the pricing's query."""
    session = transactions.find_session(charge_point_id, transaction_id)
    if session is None or session.stopped_at is None:
        return None
    summary, final = pricing.with_cost(session)
    publish(DomainEvent.SESSION_ENDED, summary)
    return final


def _id_of(tariff: dict[str, Any] | None) -> str | None:
    return None if tariff is None else tariff["tariffId"]


def _unmatched(
    charge_point_id: str, action: str, transaction_id: str, event: SessionEvent, at: datetime
) -> None:
    """Kept apart, counted and published once: the charge point is answered and not stuck."""
    stream = session_events.unmatched_stream(charge_point_id, transaction_id)
    if not session_events.record_event(stream, event, at):
        return
    logger.warning("Message for a transaction this charge point was never given", extra={"action": action})
    metrics.add_metric(name="UnmatchedTransactionMessages", unit="Count", value=1)
    publish(
        DomainEvent.SECURITY_EVENT,
        {
            "charge_point_id": charge_point_id,
            "type": "UnknownTransactionId",
            "tech_info": f"{action} for transaction {transaction_id}, never given to this charge point",
            "at": at,
        },
    )


def event_reported(
    charge_point_id: str, ocpp_version: str, report: TransactionEventReport, at: datetime
) -> Breakdown | None:
    """OCPP 2.x TransactionEvent: every event is kept once per seqNo; Started and Ended also
    shape the session. Events merge in any order: an Ended whose Started never came still
    makes the session, and a Started that comes late fills in its start. Returns the session's
    final cost when this event ended it."""
    stream = session_events.session_stream(charge_point_id, report.transaction_id)
    kind = report.event.kind
    if kind is EventKind.STARTED and report.id_token is None and report.remote_start_id is not None:
        token = remote_control.token_of_remote_start(
            charge_point_id, report.remote_start_id, report.event.timestamp
        )
        report = replace(report, id_token=token)  # the session is the request's driver's
    final: Breakdown | None = None
    tariff = (
        pricing.tariff_json(charge_point_id, report.id_token.value if report.id_token else None)
        if kind is not EventKind.UPDATED
        else None
    )
    if kind is EventKind.STARTED:
        # The session first, then the event: a retry after a failure in between redoes both.
        # The earliest Started (by seqNo) sets the start; a later one is kept as an event only.
        sets_start = transactions.record_start(
            charge_point_id,
            ocpp_version,
            report.start,
            at,
            tariff,
            report.event.seq_no,
            tenant_of_charge_point(charge_point_id),
        )
        recorded = session_events.record_event(stream, report.event, at)
        if recorded and sets_start:
            publish(
                DomainEvent.SESSION_STARTED,
                SessionSummary.of_start(charge_point_id, ocpp_version, report.start, _id_of(tariff)),
            )
        elif not recorded:  # this very Started again
            started_again(charge_point_id, ocpp_version, report.start)
    elif kind is EventKind.ENDED:
        # The event first, so that the session's energy sees its meter values.
        session_events.record_event(stream, report.event, at)
        session = transactions.record_stop(
            charge_point_id,
            ocpp_version,
            report.stop,
            at,
            start=report.start,
            tariff=tariff,
            tenant_id=tenant_of_charge_point(charge_point_id),
        )
        if session is not None:
            summary, final = pricing.with_cost(session)
            publish(DomainEvent.SESSION_ENDED, summary)
        else:
            final = ended_again(charge_point_id, report.transaction_id)
    else:
        if session_events.record_event(stream, report.event, at) and report.event.meter_values:
            pricing.running_cost(charge_point_id, report.transaction_id, at)
    if report.cost_details is not None and report.event.seq_no is not None:
        transactions.record_station_cost(
            charge_point_id, report.transaction_id, report.event.seq_no, report.cost_details
        )
    if report.reservation_id is not None:  # on whichever event names it; a second time changes nothing
        reservations.used(charge_point_id, report.reservation_id, report.transaction_id, at)
    return final


def meter_values_reported(charge_point_id: str, report: MeterValuesReport, at: datetime) -> None:
    """Samples inside a session (1.6 names the transaction) or outside one, kept per session or
    per connector/EVSE. A resend lands on the item its first copy wrote: 1 write."""
    first = min(mv.timestamp for mv in report.meter_values)
    event = SessionEvent(EventKind.METER_VALUES, first, meter_values=report.meter_values)
    tid = report.transaction_id  # given only where the CSMS assigned it (1.6): 1 read to check
    session = None if tid is None else transactions.find_session(charge_point_id, tid)
    if tid is not None and session is None:
        _unmatched(charge_point_id, "MeterValues", tid, event, at)
        return
    stored = session_events.record_event(session_events.meter_stream(charge_point_id, report), event, at)
    if stored and tid is not None:
        pricing.running_cost(charge_point_id, tid, at, session)


def list_sessions(
    wanted: SessionFilter, limit: int, next_token: str | None, cost: bool = False
) -> Page[SessionSummary]:
    """A query for the page; with `cost`, one more per session that has a tariff."""
    problem = wanted.problem()
    if problem:
        raise BadRequest(problem)
    page = transactions.list_sessions(wanted, limit, next_token)
    if cost:
        return Page([pricing.with_cost(record)[0] for record in page.items], page.next_token)
    return Page([transactions.summarise(record) for record in page.items], page.next_token)


def session_detail(transaction_id: str, charge_point_id: str | None) -> SessionDetail:
    """One session with its merged events and meter values, and the remote start that began it."""
    found = transactions.find_sessions(transaction_id, charge_point_id)
    if not found:
        raise NotFound(f"Transaction {transaction_id}")
    if len(found) > 1:
        raise BadRequest(
            f"Transaction id {transaction_id} is used by several charge points "
            f"({', '.join(r.charge_point_id for r in found)}): add chargePointId"
        )
    record = found[0]
    progress = pricing.progress_of(record)
    summary, _ = pricing.priced(record, progress)
    return SessionDetail(
        summary,
        progress.meter_values,
        progress.events,
        remote_control.command_that_began(summary),
        record.station_cost,
        record.priority_charging,
    )
