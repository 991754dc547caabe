"""Money moved as paid sessions go (the `payments` function, on SessionStarted and SessionEnded
and every minute): a session's start links its payment; its end captures its cost as its CDR
states it, never more than the hold, and lets the rest go; a hold whose remote start the station
rejected, or that no session followed in time, is let go. Each call to the provider carries an
idempotency key derived from what it is for and each change of the payment is conditional on
its state, so a redelivered event or a resent StopTransaction moves money once."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.data import charge_points, commands, transactions
from shared.data import payments as records
from shared.data.transactions import TransactionRecord
from shared.domain.commands import CommandStatus
from shared.domain.payments import (
    HistoryEntry,
    HistoryEvent,
    Money,
    Payment,
    PaymentState,
    capture_key,
    is_payment_reference,
    release_key,
)
from shared.grants import grants
from shared.observability import logger
from shared.protocol.remote_control import remote_control_codec
from shared.protocol.versions import profile_for
from shared.services.payments import history, providers
from shared.services.tariff_and_cost import cdrs
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "commands", "payments", "session-events", "transactions"),
    writes=("payments",),
    indexes=("payments/open", "transactions/by-charge-point"),
)

AUTHORIZED = (PaymentState.AUTHORIZED,)


def session_cost(
    charge_point_id: str, transaction_id: str, now: datetime, record: TransactionRecord | None = None
) -> Money | None:
    """The session's cost with tax as its CDR states it (1 read unless the caller read the
    session, 1 query); None: not priced."""
    record = record or transactions.find_session(charge_point_id, transaction_id)
    if record is None or record.tariff is None or not record.stopped_at:
        return None
    cdr = cdrs.cdr_for(record, now)
    return Money.of(Decimal(str(cdr["total_cost"]["incl_vat"])), str(cdr["currency"]))


def session_started(detail: dict[str, Any]) -> bool:
    """A SessionStarted whose id token is a payment's: the payment names its session."""
    payment_id = detail.get("idToken")
    if not is_payment_reference(payment_id):
        return False
    payment = records.find_payment(str(payment_id))
    if payment is None or payment.transaction_id is not None:
        return False
    return records.change(payment.payment_id, AUTHORIZED, (), transaction_id=str(detail["transactionId"]))


def session_ended(detail: dict[str, Any], now: datetime) -> bool:
    """A SessionEnded whose id token is a payment's: its cost captured once."""
    payment_id = detail.get("idToken")
    if not is_payment_reference(payment_id) or detail.get("active"):
        return False
    payment = records.find_payment(str(payment_id))
    if payment is None or payment.state is not PaymentState.AUTHORIZED:
        return False  # a resent stop or a redelivered event: captured already
    charge_point_id, transaction_id = str(detail["chargePointId"]), str(detail["transactionId"])
    if payment.charge_point_id != charge_point_id:
        logger.warning(
            "A payment's id token ended a session elsewhere", extra={"paymentId": payment.payment_id}
        )
        return False
    return capture(payment, transaction_id, session_cost(charge_point_id, transaction_id, now), now)


def capture(payment: Payment, transaction_id: str, cost: Money | None, now: datetime) -> bool:
    """The cost taken (at most the hold) and the rest let go; nothing to take lets it all go."""
    assert payment.provider_ref is not None
    owed = cost.amount if cost is not None and cost.currency == payment.currency else 0
    amount = min(owed, payment.authorized_amount)
    if amount == 0:
        return release(payment, now, "nothing to pay", transaction_id=transaction_id) is not None
    key = capture_key(payment.payment_id, transaction_id)
    taken = providers.provider().capture(payment.provider_ref, Money(amount, payment.currency), key)
    note = None if taken == owed else f"the cost was {owed}"
    entries = [HistoryEntry(now, HistoryEvent.CAPTURED, taken, note)]
    if payment.authorized_amount > taken:
        entries.append(HistoryEntry(now, HistoryEvent.RELEASED, payment.authorized_amount - taken))
    moved = history.moved(
        payment,
        AUTHORIZED,
        tuple(entries),
        PaymentState.CAPTURED,
        captured_amount=taken,
        transaction_id=transaction_id,
    )
    return moved is not None


def release(payment: Payment, now: datetime, why: str, **fields: Any) -> Payment | None:
    """The whole hold let go."""
    assert payment.provider_ref is not None
    providers.provider().release(payment.provider_ref, release_key(payment.payment_id))
    entry = HistoryEntry(now, HistoryEvent.RELEASED, payment.authorized_amount, why)
    return history.moved(payment, AUTHORIZED, (entry,), PaymentState.RELEASED, **fields)


def _start_refused(payment: Payment) -> bool:
    """Whether the station answered the remote start with anything but Accepted (1 read)."""
    if payment.remote_start_command_id is None:
        return False
    command = commands.find_command(payment.remote_start_command_id)
    if command is None or command.status in (CommandStatus.PENDING,):
        return False
    codec = remote_control_codec(profile_for(command.ocpp_version))
    return codec.remote_start_of(command) is None


def _dropped(payment: Payment) -> bool:
    """Whether the station is gone (1 read): a station that drops before its paid session
    starts lets the hold go at the next sweep rather than at the end of the wait."""
    charge_point = charge_points.find_charge_point(payment.charge_point_id)
    return charge_point is None or not charge_point.connected


def sweep(now: datetime) -> int:
    """Every open hold with no session yet: let go when its remote start was refused, failed or
    timed out, when its station dropped, or when no session started within the stated time (a
    session that did start, whose event was lost, is linked and, once ended, captured). How many
    it let go."""
    within = timedelta(seconds=get_settings().payment_start_within_s)
    released = 0
    for payment in records.open_holds():
        if payment.transaction_id is not None:
            continue
        refused = _start_refused(payment)
        dropped = not refused and _dropped(payment)
        if not refused and not dropped and now - payment.created_at < within:
            continue
        started = [
            s
            for s in transactions.sessions_between(payment.charge_point_id, payment.created_at - within, now)
            if s.id_token == payment.payment_id
        ]
        if started:
            session = started[0]
            if session.stopped_at:
                cost = session_cost(payment.charge_point_id, session.transaction_id, now, session)
                capture(payment, session.transaction_id, cost, now)
            else:
                records.change(payment.payment_id, AUTHORIZED, (), transaction_id=session.transaction_id)
            continue
        why = (
            "the station refused the remote start"
            if refused
            else "the station went offline before the session started"
            if dropped
            else "no session started in time"
        )
        if release(payment, now, why) is not None:
            released += 1
    return released
