"""The two providers behind one interface: `local` (Stripe's test mode, its state in DynamoDB) and
`stripe` (the official package, its HTTP client replaced by recorded answers: no test reaches
the network). Each moves money once per idempotency key."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe

from shared.data import payments as records
from shared.domain.payments import (
    BadSignature,
    Declined,
    Money,
    ProviderRefused,
    UnknownPaymentMethod,
    webhook_signature,
)
from shared.services.payments.providers import LocalProvider, StripeProvider

EUR = "EUR"


@pytest.fixture
def local(aws):
    return LocalProvider("whsec_local")


def test_the_local_provider_holds_with_stripes_test_tokens_once_per_key(local):
    first = local.hold("pm_card_visa", Money(3000, EUR), "hold:P1")
    assert first.startswith("pi_") and local.hold("pm_card_visa", Money(3000, EUR), "hold:P1") == first
    assert local.hold("pm_card_mastercard", Money(3000, EUR), "hold:P2") != first
    intent = records.find_intent(first)
    assert intent is not None and (intent.status, intent.amount, intent.currency) == (
        "requires_capture",
        3000,
        EUR,
    )
    with pytest.raises(Declined) as declined:
        local.hold("pm_card_chargeDeclinedInsufficientFunds", Money(3000, EUR), "hold:P3")
    assert (declined.value.code, declined.value.decline_code) == ("card_declined", "insufficient_funds")
    with pytest.raises(Declined, match=r"Your card was declined\."):
        local.hold("pm_card_chargeDeclined", Money(3000, EUR), "hold:P4")
    with pytest.raises(UnknownPaymentMethod):
        local.hold("pm_card_nothing", Money(3000, EUR), "hold:P5")


def test_the_local_provider_captures_at_most_the_hold_and_once(local):
    held = local.hold("pm_card_visa", Money(3000, EUR), "hold:P1")
    with pytest.raises(ProviderRefused):
        local.capture(held, Money(3001, EUR), "capture:P1:9")
    assert local.capture(held, Money(534, EUR), "capture:P1:1") == 534
    assert local.capture(held, Money(534, EUR), "capture:P1:1") == 534  # a retry: the first answer
    with pytest.raises(ProviderRefused):
        local.capture(held, Money(534, EUR), "capture:P1:2")  # another capture of the same hold
    with pytest.raises(ProviderRefused):
        local.release(held, "release:P1")  # captured: nothing held any more
    intent = records.find_intent(held)
    assert intent is not None and (intent.status, intent.amount_received) == ("succeeded", 534)


def test_the_local_provider_releases_and_refunds_within_the_capture(local):
    released = local.hold("pm_card_visa", Money(2000, EUR), "hold:P1")
    local.release(released, "release:P1")
    local.release(released, "release:P1")  # a retry
    assert records.find_intent(released).status == "canceled"  # type: ignore[union-attr]
    with pytest.raises(ProviderRefused):
        local.refund(released, Money(1, EUR), "refund:P1:r1")
    held = local.hold("pm_card_visa", Money(3000, EUR), "hold:P2")
    local.capture(held, Money(534, EUR), "capture:P2:1")
    first = local.refund(held, Money(134, EUR), "refund:P2:r1")
    assert local.refund(held, Money(134, EUR), "refund:P2:r1") == first  # once per key
    with pytest.raises(ProviderRefused):
        local.refund(held, Money(401, EUR), "refund:P2:r2")
    assert local.refund(held, Money(400, EUR), "refund:P2:r3") != first
    assert records.find_intent(held).amount_refunded == 534  # type: ignore[union-attr]


def test_the_local_provider_verifies_its_webhooks(local):
    now = datetime.now(UTC)
    payload = b'{"type":"charge.refunded"}'
    signed = webhook_signature(payload, "whsec_local", int(now.timestamp()))
    assert local.verify_webhook(payload, signed, now) == {"type": "charge.refunded"}
    with pytest.raises(BadSignature):
        local.verify_webhook(payload, webhook_signature(payload, "whsec_other", int(now.timestamp())), now)


# --- Stripe, on recorded answers -------------------------------------------------------------

INTENT = {
    "id": "pi_3QrecordedA",
    "object": "payment_intent",
    "amount": 3000,
    "amount_capturable": 3000,
    "amount_received": 0,
    "capture_method": "manual",
    "currency": "eur",
    "status": "requires_capture",
}
DECLINED = {
    "error": {
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "message": "Your card has insufficient funds.",
        "type": "card_error",
        "payment_intent": {**INTENT, "status": "requires_payment_method"},
    }
}
MISSING = {
    "error": {
        "code": "resource_missing",
        "message": "No such PaymentMethod: 'pm_nothing'",
        "param": "payment_method",
        "type": "invalid_request_error",
    }
}
ANSWERS: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {
    ("post", "/v1/payment_intents"): (200, INTENT),
    ("post", "/v1/payment_intents/pi_3QrecordedA/capture"): (
        200,
        {**INTENT, "status": "succeeded", "amount_received": 534, "amount_capturable": 0},
    ),
    ("post", "/v1/payment_intents/pi_3QrecordedA/cancel"): (200, {**INTENT, "status": "canceled"}),
    ("post", "/v1/refunds"): (
        200,
        {"id": "re_3Qrecorded", "object": "refund", "amount": 134, "payment_intent": "pi_3QrecordedA"},
    ),
}


class Recorded(stripe.HTTPClient):
    """Stripe's HTTP client, answering from recordings and keeping what it was asked."""

    name = "recorded"

    def __init__(self, answers: dict[tuple[str, str], tuple[int, dict[str, Any]]]) -> None:
        super().__init__()
        self.answers = answers
        self.asked: list[tuple[str, str, dict[str, str], dict[str, list[str]]]] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[override]
        path = urlsplit(url).path
        form = parse_qs(post_data.decode() if isinstance(post_data, bytes) else post_data or "")
        self.asked.append((method, path, dict(headers or {}), form))
        status, body = self.answers[(method, path)]
        return json.dumps(body), status, {"Request-Id": "req_recorded"}

    def close(self) -> None:
        pass


def test_stripe_holds_with_manual_capture_and_moves_money_with_idempotency_keys():
    http = Recorded(ANSWERS)
    provider = StripeProvider("sk_test_recorded", "whsec_recorded", http_client=http)
    assert provider.hold("pm_card_visa", Money(3000, EUR), "hold:P1") == "pi_3QrecordedA"
    assert provider.capture("pi_3QrecordedA", Money(534, EUR), "capture:P1:1") == 534
    provider.release("pi_3QrecordedA", "release:P2")
    assert provider.refund("pi_3QrecordedA", Money(134, EUR), "refund:P1:r1") == "re_3Qrecorded"
    hold, capture, release, refund = http.asked
    assert hold[3]["capture_method"] == ["manual"] and hold[3]["confirm"] == ["true"]
    assert (hold[3]["amount"], hold[3]["currency"], hold[3]["payment_method"]) == (
        ["3000"],
        ["eur"],
        ["pm_card_visa"],
    )
    assert capture[3]["amount_to_capture"] == ["534"] and refund[3]["amount"] == ["134"]
    keys = [asked[2].get("Idempotency-Key") for asked in http.asked]
    assert keys == ["hold:P1", "capture:P1:1", "release:P2", "refund:P1:r1"]
    assert all(asked[2]["Authorization"] == "Bearer sk_test_recorded" for asked in http.asked)
    assert release[1].endswith("/cancel")


def test_stripe_declines_and_unknown_methods_say_stripes_reason():
    provider = StripeProvider(
        "sk_test_recorded",
        "whsec_recorded",
        http_client=Recorded({("post", "/v1/payment_intents"): (402, DECLINED)}),
    )
    with pytest.raises(Declined) as declined:
        provider.hold("pm_card_chargeDeclinedInsufficientFunds", Money(3000, EUR), "hold:P1")
    assert (declined.value.decline_code, declined.value.message) == (
        "insufficient_funds",
        "Your card has insufficient funds.",
    )
    missing = StripeProvider(
        "sk_test_recorded", "", http_client=Recorded({("post", "/v1/payment_intents"): (400, MISSING)})
    )
    with pytest.raises(UnknownPaymentMethod, match="pm_nothing"):
        missing.hold("pm_nothing", Money(3000, EUR), "hold:P2")


def test_stripe_webhooks_are_verified_with_the_endpoint_secret():
    provider = StripeProvider("sk_test_recorded", "whsec_recorded", http_client=Recorded({}))
    now = datetime.now(UTC)
    payload = json.dumps(
        {"id": "evt_1", "object": "event", "type": "payment_intent.canceled", "data": {"object": INTENT}}
    ).encode()
    event = provider.verify_webhook(
        payload, webhook_signature(payload, "whsec_recorded", int(now.timestamp())), now
    )
    assert (event["id"], event["type"]) == ("evt_1", "payment_intent.canceled")
    with pytest.raises(BadSignature):
        provider.verify_webhook(payload, webhook_signature(payload, "whsec_other", int(now.timestamp())), now)
