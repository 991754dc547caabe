"""A payment's changes, each kept in its history and announced as a PaymentChanged event so
that accounting can follow them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from shared.aws.event_bus import DomainEvent
from shared.data import payments as records
from shared.domain.accounts import DEFAULT_TENANT
from shared.domain.payments import HistoryEntry, Payment, PaymentState
from shared.grants import grants
from shared.services.domain_events import publish

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(writes=("payments",))


def announce(payment: Payment, entry: HistoryEntry) -> None:
    detail: dict[str, Any] = {
        "payment_id": payment.payment_id,
        "kind": payment.kind.value,
        "state": payment.state.value,
        "event": entry.event.value,
        "amount": entry.amount,
        "currency": payment.currency,
        "charge_point_id": payment.charge_point_id,
        "evse_id": payment.evse_id,
        "transaction_id": payment.transaction_id,
        "at": entry.at,
        "tenant_id": payment.tenant_id or DEFAULT_TENANT,
    }
    publish(DomainEvent.PAYMENT_CHANGED, detail)


def moved(
    payment: Payment,
    states: tuple[PaymentState, ...],
    entries: tuple[HistoryEntry, ...],
    state: PaymentState | None = None,
    **fields: Any,
) -> Payment | None:
    """The payment moved (1 conditional write) and each entry announced; None when another run
    moved it first (which announced it)."""
    if not records.change(payment.payment_id, states, entries, state, **fields):
        return None
    after = replace(
        payment,
        state=state or payment.state,
        history=(*payment.history, *entries),
        **fields,
    )
    for entry in entries:
        announce(after, entry)
    return after
