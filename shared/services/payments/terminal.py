"""A 2.1 station's own payment terminal: its NotifySettlement becomes a payment of kind
`terminal`, linked to its session by the transaction id (or, without one, by the payment
reference its session started with), its amount set against the session's cost by the
reconciliation, and answered with the CSMS's receipt. A settlement that was Canceled, Rejected
or Failed leaves the session unpaid, which the reconciliation raises (`unpaid_session`)."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta

from shared.data import payments as records
from shared.data import transactions
from shared.data.transactions import TransactionRecord
from shared.domain.errors import Conflict
from shared.domain.payments import (
    HistoryEntry,
    HistoryEvent,
    Money,
    Payment,
    PaymentKind,
    PaymentState,
    Settlement,
    new_receipt_token,
)
from shared.domain.tariffs import from_json
from shared.grants import grants
from shared.services.payments import history
from shared.services.station_tenant import tenant_of_charge_point
from shared.services.tariff_and_cost import tariffs

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("payments", "transactions"),
    writes=("payments",),
    indexes=("transactions/by-id-token",),
)

# A settlement without a transaction id is looked for among the sessions its reference started
# this long before it.
LOOK_BACK = timedelta(days=3)
# A settlement's amount's currency, where neither its session nor a tariff of its charge point
# states one (NotifySettlement names none: the station's Currency variable is its own).
FALLBACK_CURRENCY = "EUR"


def payment_id_of(charge_point_id: str, psp_ref: str) -> str:
    """The same for a resent settlement: "TRM" and 17 characters of base 32 of a hash."""
    digest = hashlib.sha256(f"{charge_point_id}\n{psp_ref}".encode()).digest()
    return "TRM" + base64.b32encode(digest).decode()[:17]


def _session(charge_point_id: str, settlement: Settlement) -> TransactionRecord | None:
    """By the transaction id (1 read), else by the reference its session started with (1 query
    and 1 batch read)."""
    if settlement.transaction_id:
        return transactions.find_session(charge_point_id, settlement.transaction_id)
    keys = transactions.sessions_of_card(
        settlement.psp_ref, settlement.settled_at - LOOK_BACK, settlement.settled_at, 5
    )
    mine = [k for k in keys if k.charge_point_id == charge_point_id]
    found = transactions.sessions_by_key(mine[:1]) if mine else []
    return found[0] if found else None


def settled(charge_point_id: str, settlement: Settlement, now: datetime) -> Payment:
    """The settlement as a payment (1 write, once: a resend finds the first)."""
    payment_id = payment_id_of(charge_point_id, settlement.psp_ref)
    first = records.find_payment(payment_id)
    if first is not None:
        return first
    session = _session(charge_point_id, settlement)
    tariff = session.tariff if session is not None else None
    if tariff is not None:
        currency = from_json(tariff).currency
    else:
        default = tariffs.tariff_for(charge_point_id, None, None)
        currency = default.currency if default is not None else FALLBACK_CURRENCY
    amount = Money.of(settlement.amount, currency).amount
    ok = settlement.status == "Settled"
    entry = HistoryEntry(
        settlement.settled_at,
        HistoryEvent.SETTLED if ok else HistoryEvent.FAILED,
        amount,
        settlement.status_info or (None if ok else settlement.status),
    )
    payment = Payment(
        payment_id=payment_id,
        kind=PaymentKind.TERMINAL,
        state=PaymentState.CAPTURED if ok else PaymentState.FAILED,
        currency=currency,
        authorized_amount=amount,
        captured_amount=amount if ok else 0,
        charge_point_id=charge_point_id,
        evse_id=int(session.evse_id or session.connector_id or 0) if session is not None else 0,
        transaction_id=(session.transaction_id if session is not None else settlement.transaction_id) or None,
        created_at=now,
        provider="terminal",
        provider_ref=settlement.psp_ref,
        receipt_token=new_receipt_token(),
        tenant_id=tenant_of_charge_point(charge_point_id),
        history=(entry,),
    )
    try:
        records.put_payment(payment)
    except Conflict:  # the same settlement, handled at the same moment
        found = records.find_payment(payment_id)
        assert found is not None
        return found
    history.announce(payment, entry)
    return payment
