"""Money in minor units and its one rounding, payment ids that fit a 1.6 idTag, idempotency keys,
webhook signatures, the price shown before a session, and a day's reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from shared.domain.payments import (
    BadSignature,
    HistoryEntry,
    HistoryEvent,
    MismatchKind,
    Money,
    Payment,
    PaymentKind,
    PaymentState,
    SessionCost,
    capture_key,
    is_payment_reference,
    new_payment_id,
    price_shown,
    reconcile,
    reconciliation_csv,
    refund_key,
    to_decimal,
    to_minor,
    verify_signature,
    webhook_signature,
)
from shared.domain.tariffs import Dimension, PriceComponent, Restrictions, Tariff, TariffElement

NOW = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("4.80"), "EUR", 480),
        (Decimal("4.805"), "EUR", 481),  # half up, once
        (Decimal("4.8049"), "EUR", 480),
        (Decimal("1234.5"), "JPY", 1235),  # no minor units
        (Decimal("1.2345"), "KWD", 1235),  # three
        (Decimal("0"), "EUR", 0),
    ],
)
def test_a_decimal_amount_becomes_minor_units_rounded_half_up(amount, currency, minor):
    assert to_minor(amount, currency) == minor
    assert Money.of(amount, currency) == Money(minor, currency)


def test_minor_units_read_back_exactly():
    assert to_decimal(480, "EUR") == Decimal("4.80")
    assert to_decimal(1235, "KWD") == Decimal("1.235")


def test_money_is_never_a_float_nor_an_unknown_currency():
    with pytest.raises(TypeError):
        Money(4.8, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "EUR")
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(480, "QQQ")


def test_a_payments_id_is_an_id_tag_of_20_characters():
    ids = {new_payment_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 20 and is_payment_reference(i) for i in ids)
    assert not is_payment_reference("04A2B3C4D5")
    assert not is_payment_reference("PAY" + "a" * 17)  # not its alphabet
    assert not is_payment_reference(None)


def test_idempotency_keys_name_what_they_are_for():
    assert capture_key("PAY1", "42") == "capture:PAY1:42"
    assert refund_key("PAY1", "r1") != refund_key("PAY1", "r2")


def test_a_webhook_verifies_only_with_its_secret_and_in_time():
    payload = b'{"type":"payment_intent.succeeded"}'
    header = webhook_signature(payload, "whsec_1", int(NOW.timestamp()))
    verify_signature(payload, header, "whsec_1", NOW)
    with pytest.raises(BadSignature):
        verify_signature(payload, header, "whsec_2", NOW)
    with pytest.raises(BadSignature):
        verify_signature(payload + b" ", header, "whsec_1", NOW)
    with pytest.raises(BadSignature, match="older"):
        verify_signature(payload, header, "whsec_1", NOW + timedelta(minutes=6))
    with pytest.raises(BadSignature):
        verify_signature(payload, "v1=abc", "whsec_1", NOW)


def _tariff(**changes) -> Tariff:
    fields = {
        "tariff_id": "t",
        "currency": "EUR",
        "vat_percent": Decimal(21),
        "idle_grace_minutes": 15,
        "min_price": Decimal("1"),
        "elements": (
            TariffElement(
                (PriceComponent(Dimension.ENERGY, Decimal("0.50")),),
                Restrictions(
                    start_time=datetime(2026, 1, 1, 7).time(), end_time=datetime(2026, 1, 1, 22).time()
                ),
            ),
            TariffElement(
                (
                    PriceComponent(Dimension.PARKING_TIME, Decimal("3")),
                    PriceComponent(Dimension.FLAT, Decimal("0.99")),
                    PriceComponent(Dimension.ENERGY, Decimal("0.25")),
                    PriceComponent(Dimension.TIME, Decimal("1.80")),
                )
            ),
        ),
    }
    return Tariff(**{**fields, **changes})


def test_the_price_shown_is_in_the_regulations_order_with_tax_and_the_element_in_force():
    by_day = price_shown(_tariff(), NOW)
    assert [c["type"] for c in by_day["components"]] == ["energy", "time", "session", "idle"]
    assert [c["priceInclVat"] for c in by_day["components"]] == ["0.6050", "0.0363", "1.1979", "0.0605"]
    assert by_day["components"][3]["afterMinutes"] == 15
    assert (by_day["vatPercent"], by_day["minPriceInclVat"]) == ("21", "1.2100")
    at_night = price_shown(_tariff(), NOW.replace(hour=23))
    assert at_night["components"][0]["priceInclVat"] == "0.3025"


def _payment(payment_id: str, state: PaymentState, captured: int = 0, **fields) -> Payment:
    return Payment(
        payment_id=payment_id,
        kind=fields.pop("kind", PaymentKind.ADHOC),
        state=state,
        currency="EUR",
        authorized_amount=3000,
        charge_point_id="CP1",
        evse_id=1,
        created_at=NOW,
        provider="local",
        captured_amount=captured,
        history=(HistoryEntry(NOW, HistoryEvent.AUTHORIZED, 3000),),
        **fields,
    )


PAID, OTHER, TERMINAL, LOST = (f"PAY{c * 17}" for c in "ABCD")


def test_a_clean_day_adds_up_per_currency():
    sessions = [
        SessionCost("CP1", "1", PAID, Money(534, "EUR")),
        SessionCost("CP1", "2", "04A2B3C4D5", Money(100, "EUR")),
        SessionCost("CP2", "3", None, Money(7000, "JPY")),
    ]
    day = reconcile("2026-12-08", sessions, [_payment(PAID, PaymentState.CAPTURED, 534, transaction_id="1")])
    assert day.mismatches == []
    assert [(t.currency, t.sessions, t.cost, t.captured) for t in day.totals] == [
        ("EUR", 2, 634, 534),
        ("JPY", 1, 7000, 0),
    ]


def test_every_kind_of_mismatch_is_found():
    sessions = [
        SessionCost("CP1", "1", PAID, Money(534, "EUR")),
        SessionCost("CP1", "2", OTHER, Money(200, "EUR")),
        SessionCost("CP1", "3", TERMINAL, Money(300, "EUR")),
        SessionCost("CP1", "4", LOST, Money(400, "EUR")),
    ]
    payments = [
        _payment(PAID, PaymentState.CAPTURED, 500, transaction_id="1"),
        _payment(OTHER, PaymentState.AUTHORIZED, transaction_id="2"),
        _payment(TERMINAL, PaymentState.CAPTURED, 250, kind=PaymentKind.TERMINAL, transaction_id="3"),
        _payment("PAY" + "E" * 17, PaymentState.CAPTURED, 90),
    ]
    day = reconcile("2026-12-08", sessions, payments)
    found = [(m.kind, m.transaction_id, m.payment_id, m.expected, m.actual) for m in day.mismatches]
    assert found == [
        (MismatchKind.CAPTURE_DIFFERS, "1", PAID, 534, 500),
        (MismatchKind.HOLD_OPEN, "2", OTHER, 200, 3000),
        (MismatchKind.SETTLEMENT_DIFFERS, "3", TERMINAL, 300, 250),
        (MismatchKind.UNPAID_SESSION, "4", LOST, 400, 0),
        (MismatchKind.PAYMENT_WITHOUT_SESSION, None, "PAY" + "E" * 17, 0, 90),
    ]
    [eur] = day.totals
    assert (eur.captured, eur.settled) == (590, 250)
    lines = reconciliation_csv(day).splitlines()
    assert lines[0].split(",")[:7] == [
        "record",
        "currency",
        "sessions",
        "cost",
        "captured",
        "settled",
        "refunded",
    ]
    assert lines[0].split(",")[7:] == ["kind", "transactionId", "paymentId", "expected", "actual"]
    assert lines[1] == "total,EUR,4,1434,590,250,0"
    assert lines[2] == f"mismatch,,,,,,,capture_differs,1,{PAID},534,500"
    assert len(lines) == 7


# --- Dynamic codes ------------------------------------------------------------------------------


def test_a_dynamic_code_is_the_papers_hmac_read_in_base_62_from_the_offset_of_its_last_byte():
    import hashlib
    import hmac as hmac_

    from shared.domain.payments import BASE62, dynamic_code

    secret, interval = "correct horse battery staple", 29_412_345
    digest = hmac_.new(secret.encode("utf-8"), interval.to_bytes(8, "big"), hashlib.sha256).digest()
    offset = digest[31] % 16
    assert dynamic_code(secret, interval, 3) == "".join(
        BASE62[digest[(offset + i) % 32] % 62] for i in range(3)
    )
    assert BASE62 == "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert dynamic_code("Pässwort-mit-Umlaut!", 1, 12) == dynamic_code("Pässwort-mit-Umlaut!", 1, 12)
    assert len(dynamic_code(secret, interval, 40)) == 40  # longer than the hash: it wraps
    assert dynamic_code(secret, interval, 8) != dynamic_code(secret, interval + 1, 8)


def test_the_previous_current_and_next_intervals_codes_are_valid_and_older_ones_expired():
    from datetime import UTC, datetime

    from shared.domain.payments import CodeCheck, check_code, dynamic_code, interval_at

    at = datetime(2026, 3, 1, 12, 0, 30, tzinfo=UTC)
    now = interval_at(at, 60)
    assert now == int(at.timestamp()) // 60
    secret = "s" * 32
    for interval in (now - 1, now, now + 1):
        assert check_code(dynamic_code(secret, interval, 8), secret, at, 60, 8) is CodeCheck.VALID
    assert check_code(dynamic_code(secret, now - 2, 8), secret, at, 60, 8) is CodeCheck.EXPIRED
    assert check_code(dynamic_code(secret, now + 2, 8), secret, at, 60, 8) is CodeCheck.WRONG
    assert check_code(dynamic_code("other" * 8, now, 8), secret, at, 60, 8) is CodeCheck.WRONG


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-FR, en;q=0.3, de;q=0.5", "de"),
        ("en-GB,de;q=0.1", "en"),
        ("fr", "en"),
        (None, "en"),
        ("de;q=0, en;q=0.2", "en"),
        ("de;q=abc", "en"),
    ],
)
def test_the_page_speaks_the_browsers_first_language_it_knows(header, language):
    from shared.domain.pay_page import language_of

    assert language_of(header) == language
