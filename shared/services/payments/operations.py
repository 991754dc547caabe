"""What operators read and do with payments: the list, one with its history, refunds (never
more than was captured and not yet refunded), and a day's reconciliation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from shared.data import payments as records
from shared.data import transactions
from shared.data.dynamo import Page, every_item
from shared.domain.errors import BadRequest, Conflict, NotFound
from shared.domain.payments import (
    HistoryEntry,
    HistoryEvent,
    Money,
    Payment,
    PaymentFilter,
    PaymentState,
    ProviderRefused,
    Reconciliation,
    SessionCost,
    is_payment_reference,
    reconcile,
    refund_key,
)
from shared.domain.transactions import SessionFilter
from shared.grants import grants
from shared.services.payments import history, providers, settlement

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("payments", "session-events", "transactions"),
    writes=("payments",),
    indexes=("payments/by-charge-point", "payments/by-year", "transactions/by-year"),
)

# Tries at recording a refund the provider made, while other refunds of the payment land.
REFUND_WRITES = 3
# Sessions ended on a day are looked for among those started this long before it.
LONGEST_SESSION = timedelta(days=3)


def list_payments(wanted: PaymentFilter, limit: int, next_token: str | None, now: datetime) -> Page[Payment]:
    if wanted.created_from and wanted.created_to and wanted.created_from > wanted.created_to:
        raise BadRequest("from is after to")
    return records.list_payments(wanted, limit, next_token, now)


def get(payment_id: str) -> Payment:
    payment = records.find_payment(payment_id)
    if payment is None:
        raise NotFound(f"Payment {payment_id}")
    return payment


def refund(payment_id: str, amount: int, reason: str, now: datetime) -> tuple[str, Payment]:
    """Part or all of what was captured and not yet refunded; 409 above that. The refund's id
    is its idempotency key's, so the provider moves it once."""
    payment = get(payment_id)
    if payment.state not in (PaymentState.CAPTURED,) or amount > payment.refundable:
        raise Conflict(f"Payment {payment_id} has {max(payment.refundable, 0)} left to refund, not {amount}")
    assert payment.provider_ref is not None
    refund_id = str(uuid.uuid4())
    try:
        providers.provider().refund(
            payment.provider_ref, Money(amount, payment.currency), refund_key(payment_id, refund_id)
        )
    except ProviderRefused as refused:
        raise Conflict(f"The provider refused the refund: {refused}") from None
    entry = HistoryEntry(now, HistoryEvent.REFUNDED, amount, reason)
    for _ in range(REFUND_WRITES):  # another refund of the same payment may land in between
        all_of_it = payment.refunded_amount + amount == payment.captured_amount
        if records.add_refund(payment_id, payment.refunded_amount, amount, entry, all_of_it):
            break
        payment = get(payment_id)
    else:
        raise Conflict(f"Payment {payment_id} kept changing; the provider refunded {amount} ({refund_id})")
    after = get(payment_id)
    history.announce(after, entry)
    return refund_id, after


def reconciliation(day: date, now: datetime) -> Reconciliation:
    """The sessions that ended that UTC day, each with its CDR's cost, against the payments that
    paid them and the payments made that day."""
    start = datetime.combine(day, time(), UTC)
    end = start + timedelta(days=1)
    wanted = SessionFilter(active=False, started_from=start - LONGEST_SESSION, started_to=end)
    sessions: list[SessionCost] = []
    paid: list[Payment] = []
    for record in every_item(lambda limit, token: transactions.list_sessions(wanted, limit, token), 200):
        stopped = datetime.fromisoformat(record.stopped_at) if record.stopped_at else None
        if stopped is None or not start <= stopped < end:
            continue
        cost = settlement.session_cost(record.charge_point_id, record.transaction_id, now, record)
        sessions.append(SessionCost(record.charge_point_id, record.transaction_id, record.id_token, cost))
        if is_payment_reference(record.id_token):
            payment = records.find_payment(str(record.id_token))
            if payment is not None:
                paid.append(payment)
    seen = {p.payment_id for p in paid}
    made = [p for p in records.payments_made_between(start, end) if p.payment_id not in seen]
    return reconcile(day.isoformat(), sessions, [*paid, *made])
