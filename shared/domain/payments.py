"""Payments: money in minor units, the states a payment goes through, what a payment provider
does, the price a driver sees before a session starts, and a day's reconciliation. Plain Python
(decision 0044, docs/payments.md).

Money is an integer of the currency's minor units (480 is EUR 4.80), never a float. A decimal
amount becomes minor units once, here (`to_minor`): rounded half up at the currency's decimals.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from shared.domain.currencies import is_currency, minor_units
from shared.domain.tariffs import Dimension, Tariff


def to_minor(amount: Decimal, currency: str) -> int:
    """A decimal amount in minor units, rounded half up: the one rounding of this block."""
    scale = Decimal(10) ** minor_units(currency)
    return int((amount * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_decimal(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-minor_units(currency))


@dataclass(frozen=True)
class Money:
    amount: int  # minor units
    currency: str  # ISO 4217

    def __post_init__(self) -> None:
        if type(self.amount) is not int:
            raise TypeError(f"money is a whole number of minor units, not {self.amount!r}")
        if not is_currency(self.currency):
            raise ValueError(f"{self.currency!r} is not an ISO 4217 currency code")

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> Money:
        return cls(to_minor(amount, currency), currency)


class PaymentKind(StrEnum):
    ADHOC = "adhoc"
    ACCOUNT = "account"
    TERMINAL = "terminal"


class PaymentState(StrEnum):
    AUTHORIZED = "authorized"
    CAPTURED = "captured"  # a partial refund keeps it
    RELEASED = "released"
    DECLINED = "declined"
    FAILED = "failed"
    REFUNDED = "refunded"  # all of the capture


class HistoryEvent(StrEnum):
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    RELEASED = "released"
    REFUNDED = "refunded"
    FAILED = "failed"
    SETTLED = "settled"
    DECLINED = "declined"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    event: HistoryEvent
    amount: int
    note: str | None = None


@dataclass(frozen=True)
class Payment:
    payment_id: str  # also the id token its session starts with
    kind: PaymentKind
    state: PaymentState
    currency: str
    authorized_amount: int
    charge_point_id: str
    evse_id: int
    created_at: datetime
    provider: str
    provider_ref: str | None = None
    captured_amount: int = 0
    refunded_amount: int = 0
    transaction_id: str | None = None
    remote_start_command_id: str | None = None
    receipt_token: str = ""
    tenant_id: str | None = None
    history: tuple[HistoryEntry, ...] = ()

    @property
    def refundable(self) -> int:
        return self.captured_amount - self.refunded_amount


@dataclass(frozen=True)
class Settlement:
    """What a station's own payment terminal settled (2.1 NotifySettlement), in the currency's
    units as the station sends it."""

    psp_ref: str
    status: str  # Settled, Canceled, Rejected, Failed
    amount: Decimal
    settled_at: datetime
    transaction_id: str | None
    status_info: str | None = None


@dataclass(frozen=True)
class PaymentFilter:
    """Which payments a listing wants (times with their zone)."""

    state: PaymentState | None = None
    kind: PaymentKind | None = None
    charge_point_id: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


# --- Names and idempotency keys ---------------------------------------------------------------

# A payment's id names it everywhere, the id token of its session included: 1.6 takes an idTag
# of 20 characters at most, so the id is "PAY" and 17 characters of base 32.
PAYMENT_PREFIX = "PAY"
_ALPHABET = string.ascii_uppercase + "234567"
PAYMENT_ID_LENGTH = 20


def new_payment_id() -> str:
    return PAYMENT_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(PAYMENT_ID_LENGTH - 3))


def is_payment_reference(token: str | None) -> bool:
    """Whether a presented id token is shaped as a payment's (only then is the table read)."""
    return (
        token is not None
        and len(token) == PAYMENT_ID_LENGTH
        and token.startswith(PAYMENT_PREFIX)
        and all(c in _ALPHABET for c in token[3:])
    )


def new_receipt_token() -> str:
    """The unguessable part of a receipt's address."""
    return secrets.token_urlsafe(24)


# Every call that moves money carries a key derived from what it is for, so that a retried
# reaction, a resent StopTransaction or a duplicate event moves it once.
def hold_key(payment_id: str) -> str:
    return f"hold:{payment_id}"


def capture_key(payment_id: str, transaction_id: str) -> str:
    return f"capture:{payment_id}:{transaction_id}"


def release_key(payment_id: str) -> str:
    return f"release:{payment_id}"


def refund_key(payment_id: str, refund_id: str) -> str:
    return f"refund:{payment_id}:{refund_id}"


# --- The provider ---------------------------------------------------------------------------


class Declined(Exception):
    """The provider refused the hold: its code, decline code and message, as Stripe words them."""

    def __init__(self, code: str, decline_code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.decline_code, self.message = code, decline_code, message


class UnknownPaymentMethod(Exception):
    """A payment-method token the provider does not know."""


class ProviderRefused(Exception):
    """A capture, release or refund the provider would not make (above the hold, say)."""


class BadSignature(Exception):
    """A webhook whose signature does not verify."""


class PaymentProvider(Protocol):
    """What the CSMS asks of a provider. Amounts are minor units; `key` is the idempotency key:
    a second call with it answers as the first did and moves nothing."""

    name: str

    def hold(self, payment_method: str, amount: Money, key: str) -> str:
        """Authorizes up to `amount` (manual capture); the provider's reference. Declined."""
        ...

    def capture(self, reference: str, amount: Money, key: str) -> int:
        """Takes `amount` (at most the hold), the rest of the hold let go; what was taken."""
        ...

    def release(self, reference: str, key: str) -> None:
        """Lets the whole hold go."""
        ...

    def refund(self, reference: str, amount: Money, key: str) -> str:
        """Gives back part or all of a capture; the provider's refund id."""
        ...

    def verify_webhook(self, payload: bytes, signature: str, now: datetime) -> dict[str, Any]:
        """A notification's event, once its signature holds (BadSignature otherwise)."""
        ...


# Stripe's test payment-method tokens and what its test mode answers for each: the `local`
# provider answers the same (docs.stripe.com/testing).
TEST_DECLINES: dict[str, Declined] = {
    "pm_card_chargeDeclined": Declined("card_declined", "generic_decline", "Your card was declined."),
    "pm_card_chargeDeclinedInsufficientFunds": Declined(
        "card_declined", "insufficient_funds", "Your card has insufficient funds."
    ),
}
TEST_ACCEPTED = frozenset({"pm_card_visa", "pm_card_mastercard"})

# Webhook signatures as Stripe makes them: `t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload">`,
# refused when older than the tolerance.
WEBHOOK_TOLERANCE_S = 300


def webhook_signature(payload: bytes, secret: str, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(payload: bytes, header: str, secret: str, now: datetime) -> None:
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for name, value in parts if name == "t"]
    signatures = [value for name, value in parts if name == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        raise BadSignature("the signature header names no time or no v1 signature")
    timestamp = int(stamps[0])
    if abs(now.timestamp() - timestamp) > WEBHOOK_TOLERANCE_S:
        raise BadSignature("the signature is older than the tolerance")
    expected = webhook_signature(payload, secret, timestamp).rpartition("v1=")[2]
    if not any(hmac.compare_digest(expected, signature) for signature in signatures):
        raise BadSignature("no signature matches the payload")


# --- The price before the session -------------------------------------------------------------

# AFIR (EU 2023/1804) Art. 5: per kWh, then per minute, then per session, then anything else.
REGULATION_ORDER = (
    (Dimension.ENERGY, "energy", "kWh", Decimal(1)),
    (Dimension.TIME, "time", "min", Decimal(1) / 60),  # a tariff prices time per hour
    (Dimension.FLAT, "session", "session", Decimal(1)),
    (Dimension.PARKING_TIME, "idle", "min", Decimal(1) / 60),
)
PRICE_PLACES = Decimal("0.0001")


def _with_tax(price: Decimal, vat_percent: Decimal) -> Decimal:
    return (price * (1 + vat_percent / 100)).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)


def price_shown(tariff: Tariff, now: datetime) -> dict[str, Any]:
    """The tariff in force now, as a driver reads it before starting: each priced dimension in
    the regulation's order, tax included (decimal strings, to 4 places: a price per kWh is finer
    than a cent)."""
    local = now.astimezone(ZoneInfo(tariff.time_zone))
    components = []
    for dimension, kind, unit, factor in REGULATION_ORDER:
        element = tariff.element_for(dimension, local)
        price = element.price_of(dimension) if element else None
        if price is None:
            continue
        shown: dict[str, Any] = {
            "type": kind,
            "unit": unit,
            "priceInclVat": str(_with_tax(price * factor, tariff.vat_percent)),
            "priceExclVat": str((price * factor).quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)),
        }
        if dimension is Dimension.PARKING_TIME and tariff.idle_grace_minutes:
            shown["afterMinutes"] = tariff.idle_grace_minutes
        components.append(shown)
    bounds = {
        name: str(_with_tax(value, tariff.vat_percent))
        for name, value in (("minPriceInclVat", tariff.min_price), ("maxPriceInclVat", tariff.max_price))
        if value is not None
    }
    return {
        "currency": tariff.currency,
        "vatPercent": str(tariff.vat_percent),
        "components": components,
        **bounds,
    }


# --- Reconciliation ---------------------------------------------------------------------------


class MismatchKind(StrEnum):
    CAPTURE_DIFFERS = "capture_differs"
    SETTLEMENT_DIFFERS = "settlement_differs"
    HOLD_OPEN = "hold_open"
    PAYMENT_WITHOUT_SESSION = "payment_without_session"
    UNPAID_SESSION = "unpaid_session"


@dataclass(frozen=True)
class SessionCost:
    """An ended session as reconciliation reads it: its cost with tax as its CDR states it."""

    charge_point_id: str
    transaction_id: str
    id_token: str | None
    cost: Money | None  # None: not priced


@dataclass(frozen=True)
class Mismatch:
    kind: MismatchKind
    transaction_id: str | None
    payment_id: str | None
    expected: int | None
    actual: int | None


@dataclass
class Totals:
    currency: str
    sessions: int = 0
    cost: int = 0
    captured: int = 0
    settled: int = 0
    refunded: int = 0


@dataclass(frozen=True)
class Reconciliation:
    date: str
    totals: list[Totals] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)


def reconcile(day: str, sessions: Sequence[SessionCost], payments: Iterable[Payment]) -> Reconciliation:
    """The day's sessions (ended that UTC day) against `payments`: those that paid them, and those
    made that day that paid no session. A paid session is one whose id token is a payment's id,
    or one a station's terminal settled (linked by its transaction); a payment that paid none is
    an open hold, or money taken without a session."""
    by_id = {p.payment_id: p for p in payments}
    settled = {
        (p.charge_point_id, p.transaction_id): p
        for p in by_id.values()
        if p.kind is PaymentKind.TERMINAL and p.transaction_id
    }
    totals: dict[str, Totals] = {}

    def total(currency: str) -> Totals:
        return totals.setdefault(currency, Totals(currency))

    mismatches: list[Mismatch] = []
    paid: set[str] = set()
    for session in sessions:
        if session.cost is not None:
            row = total(session.cost.currency)
            row.sessions += 1
            row.cost += session.cost.amount
        if is_payment_reference(session.id_token):
            payment, named = by_id.get(session.id_token or ""), session.id_token
        else:
            payment = settled.get((session.charge_point_id, session.transaction_id))
            if payment is None:
                continue
            named = payment.payment_id
        expected = session.cost.amount if session.cost else 0
        if payment is None or payment.state in (PaymentState.FAILED, PaymentState.DECLINED):
            mismatches.append(
                Mismatch(MismatchKind.UNPAID_SESSION, session.transaction_id, named, expected, 0)
            )
            continue
        paid.add(payment.payment_id)
        if payment.state is PaymentState.AUTHORIZED:
            mismatches.append(
                Mismatch(
                    MismatchKind.HOLD_OPEN,
                    session.transaction_id,
                    payment.payment_id,
                    expected,
                    payment.authorized_amount,
                )
            )
        elif payment.kind is PaymentKind.TERMINAL:
            if payment.captured_amount != expected:
                mismatches.append(
                    Mismatch(
                        MismatchKind.SETTLEMENT_DIFFERS,
                        session.transaction_id,
                        payment.payment_id,
                        expected,
                        payment.captured_amount,
                    )
                )
        elif payment.captured_amount != expected:
            mismatches.append(
                Mismatch(
                    MismatchKind.CAPTURE_DIFFERS,
                    session.transaction_id,
                    payment.payment_id,
                    expected,
                    payment.captured_amount,
                )
            )
    for payment in by_id.values():
        row = total(payment.currency)
        if payment.kind is PaymentKind.TERMINAL:
            row.settled += payment.captured_amount
        else:
            row.captured += payment.captured_amount
        row.refunded += payment.refunded_amount
        if payment.payment_id in paid:
            continue
        if payment.state is PaymentState.AUTHORIZED:
            mismatches.append(
                Mismatch(
                    MismatchKind.HOLD_OPEN,
                    payment.transaction_id,
                    payment.payment_id,
                    0,
                    payment.authorized_amount,
                )
            )
        elif payment.captured_amount and payment.transaction_id is None:
            mismatches.append(
                Mismatch(
                    MismatchKind.PAYMENT_WITHOUT_SESSION,
                    None,
                    payment.payment_id,
                    0,
                    payment.captured_amount,
                )
            )
    return Reconciliation(day, sorted(totals.values(), key=lambda t: t.currency), mismatches)


CSV_COLUMNS = (
    "record",
    "currency",
    "sessions",
    "cost",
    "captured",
    "settled",
    "refunded",
    "kind",
    "transactionId",
    "paymentId",
    "expected",
    "actual",
)


def reconciliation_csv(found: Reconciliation) -> str:
    """The same as the JSON: a row per currency's totals, then a row per mismatch."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for t in found.totals:
        writer.writerow(("total", t.currency, t.sessions, t.cost, t.captured, t.settled, t.refunded))
        # (the mismatch columns stay empty)
    for m in found.mismatches:
        writer.writerow(
            ("mismatch", "", "", "", "", "", "", m.kind.value, m.transaction_id or "", m.payment_id or "",
             "" if m.expected is None else m.expected, "" if m.actual is None else m.actual)
        )  # fmt: skip
    return out.getvalue()


# --- Dynamic codes (OCPP 2.1 C25; the open "Secure Dynamic QR-Codes for OCPP" paper) -----------

BASE62 = string.digits + string.ascii_lowercase + string.ascii_uppercase
# Codes of the intervals this far back are expired (410), not wrong (403).
EXPIRED_INTERVALS = 60


class CodeCheck(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    WRONG = "wrong"


def dynamic_code(secret: str, interval: int, length: int) -> str:
    """The station's code for a time interval: HMAC-SHA256 keyed by the secret's UTF-8 bytes over
    the interval number as 8 big-endian bytes; `length` characters of base 62 read from the hash
    from an offset its last byte gives (the low 4 bits)."""
    digest = hmac.new(secret.encode(), interval.to_bytes(8, "big"), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    return "".join(BASE62[digest[(offset + i) % len(digest)] % len(BASE62)] for i in range(length))


def interval_at(at: datetime, validity_s: int) -> int:
    return int(at.timestamp()) // validity_s


def check_code(code: str, secret: str, at: datetime, validity_s: int, length: int) -> CodeCheck:
    """The current, previous and next interval's codes are valid (a station's clock and a slow
    scan); an older one's is expired; any other is wrong."""
    now = interval_at(at, validity_s)
    if any(hmac.compare_digest(code, dynamic_code(secret, i, length)) for i in (now - 1, now, now + 1)):
        return CodeCheck.VALID
    if any(
        hmac.compare_digest(code, dynamic_code(secret, i, length))
        for i in range(now - EXPIRED_INTERVALS, now - 1)
    ):
        return CodeCheck.EXPIRED
    return CodeCheck.WRONG
