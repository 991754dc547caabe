"""Payments: one record per payment with its history, and the `local` provider's own state
(its payment intents and the answers it gave per idempotency key), so that a restart loses
nothing. Each payment carries its tenant (its charge point's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.data import tenancy
from shared.data.dynamo import (
    CompactJSON,
    Page,
    cancelled_by_condition,
    condition_failed,
    connection,
    decode_token,
    encode_token,
    key_names,
    read,
    start_key,
)
from shared.data.tables import OnDemand
from shared.domain.errors import BadPageToken, Conflict
from shared.domain.payments import (
    HistoryEntry,
    HistoryEvent,
    Payment,
    PaymentFilter,
    PaymentKind,
    PaymentState,
)
from shared.domain.timestamps import format_timestamp

OPEN = "1"
# Payments are listed year by year back to this one.
EARLIEST_YEAR = 2024


class _ByYear(GlobalSecondaryIndex["PaymentRecord"]):
    """Every payment, newest first, one partition per year it was made."""

    class Meta:
        index_name = "by-year"
        projection = AllProjection()

    created_year = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class _ByChargePoint(GlobalSecondaryIndex["PaymentRecord"]):
    """A charge point's payments, newest first (an EVSE's open hold; the operator's filter)."""

    class Meta:
        index_name = "by-charge-point"
        projection = AllProjection()

    charge_point_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class _Open(GlobalSecondaryIndex["PaymentRecord"]):
    """Sparse: only holds not yet captured or released carry `open` (the sweep reads them)."""

    class Meta:
        index_name = "open"
        projection = AllProjection()

    open = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class _Entry(MapAttribute[str, Any]):
    at = UnicodeAttribute()
    event = UnicodeAttribute()
    amount = NumberAttribute()
    note = UnicodeAttribute(null=True)


class PaymentRecord(Model):
    class Meta(OnDemand, table="payments"): ...

    payment_id = UnicodeAttribute(hash_key=True)
    tenant_id = UnicodeAttribute(null=True)
    kind = UnicodeAttribute()
    state = UnicodeAttribute()
    currency = UnicodeAttribute()
    authorized_amount = NumberAttribute()
    captured_amount = NumberAttribute(default=0)
    refunded_amount = NumberAttribute(default=0)
    charge_point_id = UnicodeAttribute()
    evse_id = NumberAttribute()
    transaction_id = UnicodeAttribute(null=True)
    provider = UnicodeAttribute()
    provider_ref = UnicodeAttribute(null=True)
    remote_start_command_id = UnicodeAttribute(null=True)
    receipt_token = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_year = UnicodeAttribute()
    created_key = UnicodeAttribute()  # the time, then the id: unique and in time order
    open = UnicodeAttribute(null=True)
    stop_asked_at = UTCDateTimeAttribute(null=True)  # when its cost reached the hold
    history = ListAttribute(of=_Entry, default=list)
    by_year = _ByYear()
    by_charge_point = _ByChargePoint()
    open_holds = _Open()


def _entry(entry: HistoryEntry) -> _Entry:
    at = format_timestamp(entry.at)
    return _Entry(at=at, event=entry.event.value, amount=entry.amount, note=entry.note)  # type: ignore[no-untyped-call]


def _payment(record: PaymentRecord) -> Payment:
    return Payment(
        payment_id=record.payment_id,
        kind=PaymentKind(record.kind),
        state=PaymentState(record.state),
        currency=record.currency,
        authorized_amount=int(record.authorized_amount),
        captured_amount=int(record.captured_amount or 0),
        refunded_amount=int(record.refunded_amount or 0),
        charge_point_id=record.charge_point_id,
        evse_id=int(record.evse_id),
        transaction_id=record.transaction_id,
        provider=record.provider,
        provider_ref=record.provider_ref,
        remote_start_command_id=record.remote_start_command_id,
        receipt_token=record.receipt_token,
        created_at=record.created_at,
        tenant_id=record.tenant_id,
        history=tuple(
            HistoryEntry(datetime.fromisoformat(e.at), HistoryEvent(e.event), int(e.amount), e.note)
            for e in record.history or []
        ),
    )


def put_payment(payment: Payment) -> None:
    """1 write, only where no payment has the id."""
    created_key = f"{format_timestamp(payment.created_at)}#{payment.payment_id}"
    try:
        PaymentRecord(
            payment.payment_id,
            tenant_id=payment.tenant_id,
            kind=payment.kind.value,
            state=payment.state.value,
            currency=payment.currency,
            authorized_amount=payment.authorized_amount,
            captured_amount=payment.captured_amount,
            refunded_amount=payment.refunded_amount,
            charge_point_id=payment.charge_point_id,
            evse_id=payment.evse_id,
            transaction_id=payment.transaction_id,
            provider=payment.provider,
            provider_ref=payment.provider_ref,
            remote_start_command_id=payment.remote_start_command_id,
            receipt_token=payment.receipt_token,
            created_at=payment.created_at,
            created_year=f"{payment.created_at.year:04d}",
            created_key=created_key,
            open=OPEN if payment.state is PaymentState.AUTHORIZED else None,
            history=[_entry(e) for e in payment.history],
        ).save(condition=PaymentRecord.payment_id.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise Conflict(f"Payment {payment.payment_id} exists") from error
        raise


def find_payment(payment_id: str) -> Payment | None:
    """1 read. In a tenant's scope, another tenant's payment is as if it were not."""
    try:
        record = PaymentRecord.get(payment_id)
    except PaymentRecord.DoesNotExist:
        return None
    return _payment(record) if tenancy.visible(record.tenant_id) else None


def change(
    payment_id: str,
    states: tuple[PaymentState, ...],
    entries: tuple[HistoryEntry, ...],
    state: PaymentState | None = None,
    **fields: Any,
) -> bool:
    """1 conditional write: the payment moves only from one of `states` (False otherwise: another
    run moved it first), with `fields` set and `entries` added to its history."""
    record = PaymentRecord
    actions: list[Any] = [getattr(record, name).set(value) for name, value in fields.items()]
    if state is not None:
        actions.append(record.state.set(state.value))
        actions.append(record.open.set(OPEN) if state is PaymentState.AUTHORIZED else record.open.remove())
    if entries:
        actions.append(record.history.set(record.history.append([_entry(e) for e in entries])))
    condition: Condition = record.state.is_in(*(s.value for s in states))
    try:
        PaymentRecord(payment_id).update(actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def mark_stop_asked(payment_id: str, at: datetime) -> bool:
    """1 conditional write: the hold's session is to be stopped, once (False: asked already, or
    the hold is no longer open)."""
    record = PaymentRecord
    condition = (record.state == PaymentState.AUTHORIZED.value) & record.stop_asked_at.does_not_exist()
    try:
        PaymentRecord(payment_id).update(actions=[record.stop_asked_at.set(at)], condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def add_refund(
    payment_id: str, refunded_before: int, amount: int, entry: HistoryEntry, all_of_it: bool
) -> bool:
    """1 conditional write: `amount` more refunded, only while the refunded amount is still the
    one the caller read (which it checked against the capture) and the payment is in the
    caller's tenant (False otherwise: nothing changed)."""
    record = PaymentRecord
    actions: list[Any] = [
        record.refunded_amount.add(amount),
        record.history.set(record.history.append([_entry(entry)])),
    ]
    if all_of_it:
        actions.append(record.state.set(PaymentState.REFUNDED.value))
    condition = (
        tenancy.existing(record.payment_id, record.tenant_id)
        & (record.state == PaymentState.CAPTURED.value)
        & (record.refunded_amount == refunded_before)
    )
    try:
        PaymentRecord(payment_id).update(actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def payments_at(charge_point_id: str, limit: int = 20) -> list[Payment]:
    """1 query: a charge point's newest payments."""
    results = PaymentRecord.by_charge_point.query(charge_point_id, scan_index_forward=False, limit=limit)
    return read(results, _payment)


def open_holds(limit: int = 100) -> list[Payment]:
    """1 query of the sparse index: the holds still open, oldest first."""
    return read(PaymentRecord.open_holds.query(OPEN, limit=limit), _payment)


def list_payments(wanted: PaymentFilter, limit: int, next_token: str | None, now: datetime) -> Page[Payment]:
    """Newest first, in the scope: by the charge point's index when one is named, else year by
    year (a query per year the page spans)."""
    fields = PaymentRecord
    conditions = [
        c
        for c in (
            tenancy.owned(fields.tenant_id),
            fields.state == wanted.state.value if wanted.state else None,
            fields.kind == wanted.kind.value if wanted.kind else None,
            fields.charge_point_id == wanted.charge_point_id
            if wanted.charge_point_id and wanted.charge_point_id
            else None,
        )
        if c is not None
    ]
    filters: Condition | None = None
    for c in conditions:
        filters = c if filters is None else filters & c
    low = f"{format_timestamp(wanted.created_from)}" if wanted.created_from else None
    high = f"{format_timestamp(wanted.created_to)}~" if wanted.created_to else None
    range_condition: Condition | None = None
    if low and high:
        range_condition = fields.created_key.between(low, high)
    elif low:
        range_condition = fields.created_key >= low
    elif high:
        range_condition = fields.created_key <= high

    def query(index: Any, partition: str, start: Any, left: int) -> Any:
        return index.query(
            partition,
            range_condition,
            filter_condition=filters,
            scan_index_forward=False,
            limit=left,
            last_evaluated_key=start,
        )

    if wanted.charge_point_id:
        listing = f"payments/{wanted.charge_point_id}"
        start = None
        if next_token:
            position = decode_token(next_token, {"of", "year", "key"})
            if position["of"] != listing:
                raise BadPageToken()
            start = start_key(position["key"], key_names(PaymentRecord, fields.by_charge_point))
        results = query(fields.by_charge_point, wanted.charge_point_id, start, limit)
        items = read(results, _payment)
        last = results.last_evaluated_key
        token = (
            encode_token({"of": listing, "year": 0, "key": last}) if last and len(items) == limit else None
        )
        return Page(items, token)
    last_year = (wanted.created_to or now).year
    first_year = max(EARLIEST_YEAR, wanted.created_from.year if wanted.created_from else EARLIEST_YEAR)
    year, start = last_year, None
    if next_token:
        position = decode_token(next_token, {"of", "year", "key"})
        year = position["year"]
        if (
            position["of"] != "payments/by-year"
            or type(year) is not int
            or not first_year <= year <= last_year
        ):
            raise BadPageToken()
        if position["key"] is not None:
            start = start_key(position["key"], key_names(PaymentRecord, fields.by_year))
    found: list[Payment] = []
    while year >= first_year:
        results = query(fields.by_year, f"{year:04d}", start, limit - len(found))
        found += read(results, _payment)
        start = results.last_evaluated_key
        if len(found) == limit:
            if start:
                return Page(found, encode_token({"of": "payments/by-year", "year": year, "key": start}))
            more = year - 1 >= first_year
            return Page(
                found,
                encode_token({"of": "payments/by-year", "year": year - 1, "key": None}) if more else None,
            )
        year, start = year - 1, None
    return Page(found, None)


def payments_made_between(start: datetime, end: datetime) -> list[Payment]:
    """Every payment made in [start, end), in the scope: a query per year the span touches."""
    found: list[Payment] = []
    fields = PaymentRecord
    for year in range(start.year, end.year + 1):
        results = fields.by_year.query(
            f"{year:04d}",
            fields.created_key.between(format_timestamp(start), format_timestamp(end)),
            filter_condition=tenancy.owned(fields.tenant_id),
        )
        found += [p for p in read(results, _payment) if start <= p.created_at < end]
    return found


# --- EVSEs' dynamic codes ---------------------------------------------------------------------


class WebPaymentsRecord(Model):
    """An EVSE's WebPaymentsCtrlr as the CSMS set it: the secret its codes derive from (never
    answered to a GET), and the one sent but not yet confirmed, which a code that matches it
    confirms; the last code that paid, so that a code pays once."""

    class Meta(OnDemand, table="web-payments"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    evse_id = NumberAttribute(range_key=True)
    secret = UnicodeAttribute(null=True)
    pending_secret = UnicodeAttribute(null=True)
    validity_s = NumberAttribute()
    length = NumberAttribute()
    provisioned_at = UTCDateTimeAttribute()
    used_code = UnicodeAttribute(null=True)


@dataclass(frozen=True)
class WebPayments:
    charge_point_id: str
    evse_id: int
    secret: str | None
    pending_secret: str | None
    validity_s: int
    length: int
    used_code: str | None


def find_web_payments(charge_point_id: str, evse_id: int) -> WebPayments | None:
    """1 read."""
    try:
        r = WebPaymentsRecord.get(charge_point_id, evse_id)
    except WebPaymentsRecord.DoesNotExist:
        return None
    return WebPayments(
        r.charge_point_id,
        int(r.evse_id),
        r.secret,
        r.pending_secret,
        int(r.validity_s),
        int(r.length),
        r.used_code,
    )


def put_pending_secret(
    charge_point_id: str, evse_id: int, secret: str, validity_s: int, length: int, at: datetime
) -> None:
    """1 write: the secret sent, kept beside the one in use until the station confirms it."""
    fields = WebPaymentsRecord
    WebPaymentsRecord(charge_point_id, evse_id).update(
        actions=[
            fields.pending_secret.set(secret),
            fields.validity_s.set(validity_s),
            fields.length.set(length),
            fields.provisioned_at.set(at),
        ]
    )


def confirm_secret(charge_point_id: str, evse_id: int, secret: str) -> bool:
    """1 conditional write: the pending secret is the one in use (False: another was sent since)."""
    fields = WebPaymentsRecord
    try:
        WebPaymentsRecord(charge_point_id, evse_id).update(
            actions=[fields.secret.set(secret), fields.pending_secret.remove(), fields.used_code.remove()],
            condition=fields.pending_secret == secret,
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def use_code(charge_point_id: str, evse_id: int, code: str) -> bool:
    """1 conditional write: the code has paid (False: it had already)."""
    fields = WebPaymentsRecord
    condition = fields.charge_point_id.exists() & (
        fields.used_code.does_not_exist() | (fields.used_code != code)
    )
    try:
        WebPaymentsRecord(charge_point_id, evse_id).update(
            actions=[fields.used_code.set(code)], condition=condition
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


# --- The `local` provider's own state -------------------------------------------------------


class LocalIntentRecord(Model):
    """A payment intent of the `local` provider (`pi_...`), or the answer it gave to an
    idempotency key (`key#...`), which a second call with the key gets again."""

    class Meta(OnDemand, table="local-payment-intents"): ...

    intent_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute(null=True)  # requires_capture, succeeded, canceled
    currency = UnicodeAttribute(null=True)
    amount = NumberAttribute(null=True)
    amount_received = NumberAttribute(null=True)
    amount_refunded = NumberAttribute(null=True)
    payment_method = UnicodeAttribute(null=True)
    answer = CompactJSON(null=True)
    created_at = UTCDateTimeAttribute(null=True)


@dataclass(frozen=True)
class LocalIntent:
    intent_id: str
    status: str
    currency: str
    amount: int
    amount_received: int
    amount_refunded: int


class IntentRefused(Exception):
    """The intent is not in a state that allows the change (or the amount is too much)."""


def find_intent(intent_id: str) -> LocalIntent | None:
    """1 read."""
    try:
        record = LocalIntentRecord.get(intent_id)
    except LocalIntentRecord.DoesNotExist:
        return None
    return LocalIntent(
        record.intent_id,
        record.status or "",
        record.currency or "",
        int(record.amount or 0),
        int(record.amount_received or 0),
        int(record.amount_refunded or 0),
    )


def answered(key: str) -> dict[str, Any] | None:
    """1 read: what a call with this idempotency key was answered, if one was made."""
    try:
        return dict(LocalIntentRecord.get(f"key#{key}").answer or {})
    except LocalIntentRecord.DoesNotExist:
        return None


def once(key: str, answer: dict[str, Any], change_intent: Callable[[TransactWrite], None]) -> dict[str, Any]:
    """1 transaction: the intent's change and the key's answer together, or neither. A key used
    before gets its first answer and changes nothing; a change the intent's state refuses is
    IntentRefused."""
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(
                LocalIntentRecord(f"key#{key}", answer=answer),
                condition=LocalIntentRecord.intent_id.does_not_exist(),
            )
            change_intent(transaction)
    except TransactWriteError as error:
        failed = cancelled_by_condition(error)
        # pynamodb sends condition checks, deletes, puts, then updates: the key's put first
        if failed and failed[0]:
            first = answered(key)
            if first is not None:
                return first
        if any(failed):
            raise IntentRefused(key) from error
        raise
    return answer


def create_intent(
    intent_id: str, currency: str, amount: int, payment_method: str, at: datetime
) -> Callable[[TransactWrite], None]:
    def change_intent(transaction: TransactWrite) -> None:
        transaction.save(
            LocalIntentRecord(
                intent_id,
                status="requires_capture",
                currency=currency,
                amount=amount,
                amount_received=0,
                amount_refunded=0,
                payment_method=payment_method,
                created_at=at,
            ),
            condition=LocalIntentRecord.intent_id.does_not_exist(),
        )

    return change_intent


def capture_intent(intent_id: str, amount: int) -> Callable[[TransactWrite], None]:
    fields = LocalIntentRecord

    def change_intent(transaction: TransactWrite) -> None:
        transaction.update(
            LocalIntentRecord(intent_id),
            actions=[fields.status.set("succeeded"), fields.amount_received.set(amount)],
            condition=(fields.status == "requires_capture") & (fields.amount >= amount),
        )

    return change_intent


def cancel_intent(intent_id: str) -> Callable[[TransactWrite], None]:
    fields = LocalIntentRecord

    def change_intent(transaction: TransactWrite) -> None:
        transaction.update(
            LocalIntentRecord(intent_id),
            actions=[fields.status.set("canceled")],
            condition=fields.status == "requires_capture",
        )

    return change_intent


def refund_intent(intent_id: str, refunded_before: int, amount: int) -> Callable[[TransactWrite], None]:
    """`amount` more refunded, while the refunded amount is still the one the caller read."""
    fields = LocalIntentRecord

    def change_intent(transaction: TransactWrite) -> None:
        transaction.update(
            LocalIntentRecord(intent_id),
            actions=[fields.amount_refunded.add(amount)],
            condition=(fields.status == "succeeded") & (fields.amount_refunded == refunded_before),
        )

    return change_intent
