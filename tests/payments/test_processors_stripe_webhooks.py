"""Stripe webhooks: verified by the library's own `construct_event` with real signatures made from
a test secret, the way Stripe makes them (`t=<unix>,v1=<hex HMAC-SHA256(secret, "t.payload")>`),
then mapped to our typed events."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from kernel.webhooks import WebhookHeadersInvalid, WebhookSignatureInvalid, WebhookStale
from services.payments.processors.base import (
    AchReturned,
    MalformedWebhook,
    MethodKind,
    PaymentDisputed,
    PaymentEvent,
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
)
from services.payments.processors.stripe_processor import StripeProcessor

SECRET = "whsec_test_current_0123456789abcdef"
OLD_SECRET = "whsec_test_previous_0123456789abcdef"
METADATA = {"tapline_account": "1000012", "tapline_idempotency_key": "pay-1"}


def intent(**fields: Any) -> dict[str, Any]:
    return {"id": "pi_3QaTestCard00001", "object": "payment_intent", "amount": 4250,
            "amount_received": 4250, "currency": "usd", "status": "succeeded",
            "payment_method_types": ["card"], "last_payment_error": None,
            "metadata": METADATA, **fields}


def refund(**fields: Any) -> dict[str, Any]:
    return {"id": "re_3QaTestRefund001", "object": "refund", "amount": 1250,
            "currency": "usd", "charge": "ch_3QaTestCard00001",
            "payment_intent": "pi_3QaTestCard00001", "status": "succeeded",
            "metadata": {"tapline_idempotency_key": "refund-1"}, **fields}


def payload(event_type: str, obj: dict[str, Any], event_id: str = "evt_1QaTest0001") -> bytes:
    return json.dumps({
        "id": event_id, "object": "event", "api_version": "2026-10-28.endive",
        "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None}, "type": event_type,
        "data": {"object": obj},
    }).encode()


def stripe_signature(body: bytes, *secrets: str, at: int | None = None) -> dict[str, str]:
    t = int(time.time()) if at is None else at
    signatures = ",".join(
        "v1=" + hmac.new(s.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        for s in secrets)
    return {"Stripe-Signature": f"t={t},{signatures}"}


def parse(body: bytes, headers: dict[str, str], secrets: tuple[str, ...] = (SECRET,)
          ) -> PaymentEvent | None:
    processor = StripeProcessor("sk_test_recorded", secrets)
    return processor.parse_webhook(body, headers, now=datetime.now(UTC))


def test_a_succeeded_payment_intent_maps_to_a_payment_of_our_account():
    body = payload("payment_intent.succeeded", intent())
    event = parse(body, stripe_signature(body, SECRET))
    assert isinstance(event, PaymentSucceeded)
    assert event.processor == "stripe"
    assert event.event_id == "evt_1QaTest0001"
    assert event.payment_id == "pi_3QaTestCard00001"
    assert event.amount == Decimal("42.50")
    assert event.account_ref == "1000012"
    assert event.idempotency_key == "pay-1"
    assert event.method is MethodKind.CARD


def test_a_tampered_body_is_refused():
    body = payload("payment_intent.succeeded", intent())
    headers = stripe_signature(body, SECRET)
    forged = body.replace(b'"amount_received": 4250', b'"amount_received": 425000')
    assert forged != body
    with pytest.raises(WebhookSignatureInvalid):
        parse(forged, headers)


def test_a_stale_timestamp_is_refused():
    body = payload("payment_intent.succeeded", intent())
    with pytest.raises(WebhookStale):
        parse(body, stripe_signature(body, SECRET, at=int(time.time()) - 301))


def test_a_timestamp_from_the_future_is_refused():
    body = payload("payment_intent.succeeded", intent())
    with pytest.raises(WebhookStale):
        parse(body, stripe_signature(body, SECRET, at=int(time.time()) + 400))


def test_a_delivery_signed_with_another_secret_is_refused():
    body = payload("payment_intent.succeeded", intent())
    with pytest.raises(WebhookSignatureInvalid):
        parse(body, stripe_signature(body, "whsec_someone_else"))


def test_an_unsigned_delivery_is_refused():
    body = payload("payment_intent.succeeded", intent())
    with pytest.raises(WebhookHeadersInvalid):
        parse(body, {})
    with pytest.raises(WebhookHeadersInvalid):
        parse(body, {"Stripe-Signature": "v1=abc"})


def test_the_old_secret_is_still_valid_during_a_rotation():
    body = payload("payment_intent.succeeded", intent())
    event = parse(body, stripe_signature(body, OLD_SECRET), secrets=(SECRET, OLD_SECRET))
    assert isinstance(event, PaymentSucceeded)
    with pytest.raises(WebhookSignatureInvalid):  # once the rotation is over
        parse(body, stripe_signature(body, OLD_SECRET), secrets=(SECRET,))


def test_stripe_signing_with_both_secrets_during_a_rotation_is_accepted():
    body = payload("payment_intent.succeeded", intent())
    assert parse(body, stripe_signature(body, SECRET, OLD_SECRET), secrets=(SECRET,))


def test_a_duplicate_delivery_maps_to_the_same_event_id():
    body = payload("payment_intent.succeeded", intent())
    first = parse(body, stripe_signature(body, SECRET, at=int(time.time()) - 60))
    retried = parse(body, stripe_signature(body, SECRET))
    assert first is not None and retried is not None
    assert retried.event_id == first.event_id == "evt_1QaTest0001"


def test_a_refund_event_maps_to_a_refund_of_the_right_payment():
    body = payload("refund.created", refund(), "evt_1QaTestRefund")
    event = parse(body, stripe_signature(body, SECRET))
    assert isinstance(event, PaymentRefunded)
    assert event.payment_id == "pi_3QaTestCard00001"
    assert event.refund_id == "re_3QaTestRefund001"
    assert event.amount == Decimal("12.50")
    assert event.idempotency_key == "refund-1"


def test_two_events_about_one_refund_share_the_refunds_idempotency_key():
    created = payload("refund.created", refund(metadata={}), "evt_1")
    updated = payload("refund.updated", refund(metadata={}), "evt_2")
    one = parse(created, stripe_signature(created, SECRET))
    two = parse(updated, stripe_signature(updated, SECRET))
    assert one is not None and two is not None
    assert one.event_id != two.event_id
    assert one.idempotency_key == two.idempotency_key == "stripe:re_3QaTestRefund001"


def test_a_pending_refund_is_not_a_refund_yet():
    body = payload("refund.created", refund(status="pending"))
    assert parse(body, stripe_signature(body, SECRET)) is None


def test_a_chargeback_maps_to_a_dispute_of_the_payment():
    dispute = {"id": "dp_1QaTest", "object": "dispute", "amount": 4250, "currency": "usd",
               "charge": "ch_3QaTestCard00001", "payment_intent": "pi_3QaTestCard00001",
               "reason": "fraudulent", "status": "needs_response", "metadata": {}}
    body = payload("charge.dispute.created", dispute)
    event = parse(body, stripe_signature(body, SECRET))
    assert isinstance(event, PaymentDisputed)
    assert event.payment_id == "pi_3QaTestCard00001"
    assert event.dispute_id == "dp_1QaTest"
    assert event.amount == Decimal("42.50")
    assert event.reason == "fraudulent"
    assert event.account_ref is None  # found by payment id on the posting side


def test_a_returned_ach_debit_maps_to_an_ach_return_with_its_nacha_code():
    failed = intent(
        id="pi_3QaTestAch000001", amount=8000, amount_received=0,
        status="requires_payment_method", payment_method_types=["us_bank_account"],
        last_payment_error={"type": "invalid_request_error", "code": "insufficient_funds",
                            "payment_method": {"id": "pm_1QaTestBank",
                                               "type": "us_bank_account"}})
    body = payload("payment_intent.payment_failed", failed)
    event = parse(body, stripe_signature(body, SECRET))
    assert isinstance(event, AchReturned)
    assert event.payment_id == "pi_3QaTestAch000001"
    assert event.return_code == "R01"
    assert event.amount == Decimal("80.00")
    assert event.account_ref == "1000012"


def test_a_declined_card_maps_to_a_failed_payment_with_its_decline_code():
    failed = intent(status="requires_payment_method", amount_received=0, last_payment_error={
        "type": "card_error", "code": "card_declined", "decline_code": "stolen_card",
        "payment_method": {"id": "pm_1QaTestVisa", "type": "card"}})
    body = payload("payment_intent.payment_failed", failed)
    event = parse(body, stripe_signature(body, SECRET))
    assert isinstance(event, PaymentFailed)
    assert event.failure_code == "stolen_card"


def test_an_event_type_payments_does_not_act_on_maps_to_nothing():
    body = payload("customer.created", {"id": "cus_1", "object": "customer"})
    assert parse(body, stripe_signature(body, SECRET)) is None


def test_a_signed_body_that_is_not_an_event_is_malformed():
    body = b"not json at all"
    with pytest.raises(MalformedWebhook):
        parse(body, stripe_signature(body, SECRET))


def test_a_signed_event_missing_its_amount_is_malformed_not_posted():
    broken = intent()
    del broken["amount_received"]
    body = payload("payment_intent.succeeded", broken)
    with pytest.raises(MalformedWebhook):
        parse(body, stripe_signature(body, SECRET))


def test_a_signed_event_with_a_fractional_amount_is_malformed():
    body = payload("payment_intent.succeeded", intent(amount_received=42.5))
    with pytest.raises(MalformedWebhook):
        parse(body, stripe_signature(body, SECRET))
