"""The payment provider, chosen by CSMS_PAYMENT_PROVIDER: `local`, a test-mode provider whose
state is in DynamoDB (it answers Stripe's test payment-method tokens as Stripe's test mode
does), or `stripe`, PaymentIntents with manual capture through the official package, its key
and webhook secret in the secret csms/payment-provider."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from functools import lru_cache
from typing import Any

from shared.aws import secrets as aws_secrets
from shared.data import payments as records
from shared.domain.payments import (
    TEST_ACCEPTED,
    TEST_DECLINES,
    BadSignature,
    Declined,
    Money,
    PaymentProvider,
    ProviderRefused,
    UnknownPaymentMethod,
    verify_signature,
)
from shared.domain.timestamps import utc_now
from shared.grants import grants
from shared.settings import get_settings

# The secret holding Stripe's {"apiKey", "webhookSecret"}.
STRIPE_SECRET = "payment-provider"
# What these use cases reach (shared/grants.py): the `local` provider's table, Stripe's secret.
GRANTS = grants(reads=("local-payment-intents",), writes=("local-payment-intents",), secrets=(STRIPE_SECRET,))


class LocalProvider:
    """Stripe's test mode, kept in DynamoDB: a hold is an intent awaiting capture; each change
    and the answer to its idempotency key are written in one transaction."""

    name = "local"

    def __init__(self, webhook_secret: str) -> None:
        self.webhook_secret = webhook_secret

    def hold(self, payment_method: str, amount: Money, key: str) -> str:
        first = records.answered(key)
        if first is not None:
            return str(first["id"])
        if payment_method in TEST_DECLINES:
            raise TEST_DECLINES[payment_method]
        if payment_method not in TEST_ACCEPTED:
            raise UnknownPaymentMethod(f"No such PaymentMethod: '{payment_method}'")
        intent_id = "pi_" + secrets.token_hex(12)
        change = records.create_intent(intent_id, amount.currency, amount.amount, payment_method, utc_now())
        return str(records.once(key, {"id": intent_id}, change)["id"])

    def capture(self, reference: str, amount: Money, key: str) -> int:
        try:
            answer = records.once(
                key, {"captured": amount.amount}, records.capture_intent(reference, amount.amount)
            )
        except records.IntentRefused:
            raise ProviderRefused(f"{reference} cannot be captured for {amount.amount}") from None
        return int(answer["captured"])

    def release(self, reference: str, key: str) -> None:
        try:
            records.once(key, {"released": True}, records.cancel_intent(reference))
        except records.IntentRefused:
            raise ProviderRefused(f"{reference} holds nothing to release") from None

    def refund(self, reference: str, amount: Money, key: str) -> str:
        first = records.answered(key)
        if first is not None:
            return str(first["id"])
        intent = records.find_intent(reference)
        if intent is None or intent.amount_refunded + amount.amount > intent.amount_received:
            raise ProviderRefused(f"{reference} has less than {amount.amount} left to refund")
        refund_id = "re_" + secrets.token_hex(12)
        try:
            answer = records.once(
                key,
                {"id": refund_id},
                records.refund_intent(reference, intent.amount_refunded, amount.amount),
            )
        except records.IntentRefused:
            raise ProviderRefused(f"{reference} changed while refunding; ask again") from None
        return str(answer["id"])

    def verify_webhook(self, payload: bytes, signature: str, now: datetime) -> dict[str, Any]:
        verify_signature(payload, signature, self.webhook_secret, now)
        event: dict[str, Any] = json.loads(payload)
        return event


class StripeProvider:
    """PaymentIntents with capture_method=manual; `http_client` replaces the package's own (the
    tests' recorded answers)."""

    name = "stripe"

    def __init__(self, api_key: str, webhook_secret: str, http_client: Any = None) -> None:
        import stripe  # only where Stripe is the provider

        self._stripe = stripe
        self.webhook_secret = webhook_secret
        self.client = stripe.StripeClient(api_key, http_client=http_client, max_network_retries=2)

    def hold(self, payment_method: str, amount: Money, key: str) -> str:
        stripe = self._stripe
        try:
            intent = self.client.v1.payment_intents.create(
                params={
                    "amount": amount.amount,
                    "currency": amount.currency.lower(),
                    "payment_method": payment_method,
                    # no redirects: a station's page has nowhere to come back to
                    "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
                    "capture_method": "manual",
                    "confirm": True,
                },
                options={"idempotency_key": key},
            )
        except stripe.CardError as error:
            decline = error.error.decline_code if error.error else None
            raise Declined(
                error.code or "card_declined", decline or "", error.user_message or str(error)
            ) from None
        except stripe.InvalidRequestError as error:
            if error.code == "resource_missing":
                raise UnknownPaymentMethod(error.user_message or str(error)) from None
            raise
        if (
            intent.status != "requires_capture"
        ):  # e.g. a card asking for 3-D Secure, which a station page cannot do
            self.client.v1.payment_intents.cancel(intent.id, options={"idempotency_key": f"{key}:cancel"})
            raise Declined(
                "authentication_required", intent.status, "The card needs a step this page cannot take"
            )
        return str(intent.id)

    def capture(self, reference: str, amount: Money, key: str) -> int:
        try:
            intent = self.client.v1.payment_intents.capture(
                reference, params={"amount_to_capture": amount.amount}, options={"idempotency_key": key}
            )
        except self._stripe.InvalidRequestError as error:
            raise ProviderRefused(error.user_message or str(error)) from None
        return int(intent.amount_received)

    def release(self, reference: str, key: str) -> None:
        try:
            self.client.v1.payment_intents.cancel(reference, options={"idempotency_key": key})
        except self._stripe.InvalidRequestError as error:
            raise ProviderRefused(error.user_message or str(error)) from None

    def refund(self, reference: str, amount: Money, key: str) -> str:
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": reference, "amount": amount.amount},
                options={"idempotency_key": key},
            )
        except self._stripe.InvalidRequestError as error:
            raise ProviderRefused(error.user_message or str(error)) from None
        return str(refund.id)

    def verify_webhook(self, payload: bytes, signature: str, now: datetime) -> dict[str, Any]:
        try:
            event = self._stripe.Webhook.construct_event(payload, signature, self.webhook_secret)
        except (self._stripe.SignatureVerificationError, ValueError) as error:
            raise BadSignature(str(error)) from None
        found: dict[str, Any] = event.to_dict()
        return found


@lru_cache(maxsize=1)
def provider() -> PaymentProvider:
    """The configured provider, made once per instance."""
    settings = get_settings()
    if settings.payment_provider == "stripe":
        kept = aws_secrets.json_secret(STRIPE_SECRET)
        return StripeProvider(str(kept["apiKey"]), str(kept.get("webhookSecret", "")))
    return LocalProvider(settings.payment_webhook_secret)
