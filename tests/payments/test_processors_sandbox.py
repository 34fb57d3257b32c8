"""The sandbox processor behaves like a real one, and its webhooks become our typed events."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from kernel.webhooks import (
    WebhookHeadersInvalid,
    WebhookSecret,
    WebhookSignatureInvalid,
    WebhookStale,
)
from services.payments.processors.base import (
    AchReturned,
    ChargeRequest,
    ChargeStatus,
    InvalidAmount,
    MalformedWebhook,
    MethodKind,
    PaymentDisputed,
    PaymentEvent,
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
    Processor,
    RefundNotAllowed,
    UnknownPaymentMethod,
)
from services.payments.processors.sandbox import (
    IdempotencyKeyReused,
    SandboxProcessor,
    WebhookMessage,
)

NOW = datetime(2026, 11, 27, 19, 0, tzinfo=UTC)


def sandbox(secrets: list[WebhookSecret] | None = None, **kw) -> SandboxProcessor:
    return SandboxProcessor(secrets or [WebhookSecret.generate()], clock=lambda: NOW, **kw)


def card(amount: str = "42.50", key: str = "pay-1", token: str = "pm_card_visa",
         account: str = "1000012") -> ChargeRequest:
    return ChargeRequest(account, Decimal(amount), token, MethodKind.CARD, key)


def bank(amount: str = "80.00", key: str = "ach-1",
         token: str = "pm_usBankAccount") -> ChargeRequest:
    return ChargeRequest("1000012", Decimal(amount), token, MethodKind.US_BANK_ACCOUNT, key)


def received(processor: SandboxProcessor, message: WebhookMessage,
             at: datetime = NOW) -> PaymentEvent | None:
    """One delivery of `message`, as the webhook endpoint would see it."""
    return processor.parse_webhook(message.body, processor.signed(message, at), now=at)


def events(processor: SandboxProcessor) -> list[PaymentEvent | None]:
    return [received(processor, m) for m in processor.messages]


def test_the_sandbox_is_a_processor():
    processor: Processor = sandbox()
    assert processor.name == "sandbox"


def test_a_card_charge_succeeds_and_its_webhook_posts_the_amount_to_the_account():
    processor = sandbox()
    charge = processor.charge(card("42.50", key="pay-1"))
    assert charge.status is ChargeStatus.SUCCEEDED
    [event] = events(processor)
    assert isinstance(event, PaymentSucceeded)
    assert event.payment_id == charge.payment_id
    assert event.amount == Decimal("42.50")
    assert event.account_ref == "1000012"
    assert event.idempotency_key == "pay-1"
    assert event.method is MethodKind.CARD
    assert event.event_id == processor.messages[0].webhook_id


def test_a_declined_card_is_a_failed_charge_and_a_failed_event_with_the_decline_code():
    processor = sandbox()
    charge = processor.charge(card(token="pm_card_chargeDeclinedInsufficientFunds"))
    assert charge.status is ChargeStatus.FAILED
    assert charge.failure_code == "insufficient_funds"
    [event] = events(processor)
    assert isinstance(event, PaymentFailed)
    assert event.failure_code == "insufficient_funds"


def test_retrying_a_charge_with_its_idempotency_key_charges_once():
    processor = sandbox()
    first = processor.charge(card(key="pay-1"))
    again = processor.charge(card(key="pay-1"))
    assert again == first
    assert len(processor.messages) == 1


def test_an_idempotency_key_reused_for_a_different_charge_is_refused():
    processor = sandbox()
    processor.charge(card("10.00", key="pay-1"))
    with pytest.raises(IdempotencyKeyReused):
        processor.charge(card("11.00", key="pay-1"))


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.005", "NaN"])
def test_a_charge_of_a_zero_negative_or_three_decimal_amount_is_refused(amount):
    processor = sandbox()
    with pytest.raises(InvalidAmount):
        processor.charge(card(amount))
    assert processor.messages == []


def test_an_unknown_token_is_refused():
    with pytest.raises(UnknownPaymentMethod):
        sandbox().charge(card(token="pm_never_issued"))


def test_a_bank_account_debit_is_processing_until_it_settles():
    processor = sandbox()
    charge = processor.charge(bank(key="ach-1"))
    assert charge.status is ChargeStatus.PROCESSING
    assert processor.messages == []
    processor.settle(charge.payment_id)
    [event] = events(processor)
    assert isinstance(event, PaymentSucceeded)
    assert event.method is MethodKind.US_BANK_ACCOUNT
    assert event.idempotency_key == "ach-1"


def test_an_nsf_bank_account_settles_and_is_then_returned_r01():
    processor = sandbox()
    charge = processor.charge(bank(token="pm_usBankAccount_insufficientFunds"))
    processor.settle(charge.payment_id)
    succeeded, returned = events(processor)
    assert isinstance(succeeded, PaymentSucceeded)
    assert isinstance(returned, AchReturned)
    assert returned.payment_id == charge.payment_id
    assert returned.return_code == "R01"
    assert returned.amount == Decimal("80.00")
    assert returned.idempotency_key != succeeded.idempotency_key


def test_a_refund_event_maps_to_a_refund_of_the_right_payment():
    processor = sandbox()
    other = processor.charge(card("5.00", key="pay-0"))
    charge = processor.charge(card("42.50", key="pay-1"))
    refund = processor.refund(payment_id=charge.payment_id, amount=Decimal("12.50"),
                              idempotency_key="refund-1", reason="overpaid")
    event = received(processor, processor.messages[-1])
    assert isinstance(event, PaymentRefunded)
    assert event.payment_id == charge.payment_id != other.payment_id
    assert event.refund_id == refund.refund_id
    assert event.amount == Decimal("12.50")
    assert event.account_ref == "1000012"
    assert event.idempotency_key == "refund-1"


def test_refunds_never_exceed_what_was_taken():
    processor = sandbox()
    charge = processor.charge(card("42.50"))
    processor.refund(payment_id=charge.payment_id, amount=Decimal("40.00"),
                     idempotency_key="r1", reason="overpaid")
    with pytest.raises(RefundNotAllowed):
        processor.refund(payment_id=charge.payment_id, amount=Decimal("2.51"),
                         idempotency_key="r2", reason="overpaid")
    processor.refund(payment_id=charge.payment_id, amount=Decimal("2.50"),
                     idempotency_key="r3", reason="overpaid")


def test_a_retried_refund_refunds_once():
    processor = sandbox()
    charge = processor.charge(card("42.50"))
    kw: dict[str, Any] = {"payment_id": charge.payment_id, "amount": Decimal("42.50"),
          "idempotency_key": "r1", "reason": "moved out"}
    assert processor.refund(**kw) == processor.refund(**kw)
    assert len(processor.messages) == 2


def test_a_declined_payment_cannot_be_refunded():
    processor = sandbox()
    charge = processor.charge(card(token="pm_card_chargeDeclined"))
    with pytest.raises(RefundNotAllowed):
        processor.refund(payment_id=charge.payment_id, amount=Decimal("1.00"),
                         idempotency_key="r1", reason="x")


def test_a_chargeback_maps_to_a_dispute_of_what_is_left_of_the_payment():
    processor = sandbox()
    charge = processor.charge(card("42.50"))
    processor.refund(payment_id=charge.payment_id, amount=Decimal("2.50"),
                     idempotency_key="r1", reason="x")
    dispute_id = processor.dispute(charge.payment_id)
    event = received(processor, processor.messages[-1])
    assert isinstance(event, PaymentDisputed)
    assert event.dispute_id == dispute_id
    assert event.payment_id == charge.payment_id
    assert event.amount == Decimal("40.00")
    assert event.reason == "fraudulent"


def test_the_hosted_page_charges_the_session_amount_under_its_idempotency_key():
    processor = sandbox()
    session = processor.create_hosted_session(
        account_ref="1000012", amount=Decimal("61.20"), idempotency_key="portal-7",
        success_url="https://portal/ok", cancel_url="https://portal/cancel")
    assert session.url.endswith(session.session_id)
    charge = processor.complete_hosted_session(session.session_id, "pm_card_visa")
    assert charge.amount == Decimal("61.20")
    again = processor.complete_hosted_session(session.session_id, "pm_card_visa")
    assert again == charge
    [event] = events(processor)
    assert isinstance(event, PaymentSucceeded) and event.idempotency_key == "portal-7"


def test_a_token_issued_by_the_sandbox_keeps_only_the_last_four_digits():
    processor = sandbox()
    token = processor.tokenize(MethodKind.US_BANK_ACCOUNT, "6789")
    method = processor.payment_method(token)
    assert method.kind is MethodKind.US_BANK_ACCOUNT
    assert method.display.endswith("•••• 6789")
    assert token.startswith("pm_sbx_")


def test_a_duplicate_delivery_maps_to_the_same_event_id():
    processor = sandbox()
    processor.charge(card())
    [message] = processor.messages
    first = received(processor, message, NOW)
    retried = received(processor, message, NOW + timedelta(minutes=2))  # re-signed later
    assert first is not None and retried is not None
    assert retried.event_id == first.event_id
    assert retried == first


def test_a_tampered_sandbox_delivery_is_refused():
    processor = sandbox()
    processor.charge(card("42.50"))
    [message] = processor.messages
    headers = processor.signed(message, NOW)
    forged = message.body.replace(b'"42.50"', b'"4250.00"')
    with pytest.raises(WebhookSignatureInvalid):
        processor.parse_webhook(forged, headers, now=NOW)


def test_a_stale_sandbox_delivery_is_refused():
    processor = sandbox()
    processor.charge(card())
    [message] = processor.messages
    headers = processor.signed(message, NOW - timedelta(minutes=6))
    with pytest.raises(WebhookStale):
        processor.parse_webhook(message.body, headers, now=NOW)


def test_an_unsigned_sandbox_delivery_is_refused():
    processor = sandbox()
    processor.charge(card())
    [message] = processor.messages
    headers = processor.signed(message, NOW)
    del headers["webhook-signature"]
    with pytest.raises(WebhookHeadersInvalid):
        processor.parse_webhook(message.body, headers, now=NOW)


def test_during_a_rotation_deliveries_signed_with_the_old_secret_still_post():
    old, new = WebhookSecret.generate(), WebhookSecret.generate()
    sender = sandbox([old])  # the processor has not switched yet
    sender.charge(card())
    [message] = sender.messages
    receiver = sandbox([new, old])
    event = receiver.parse_webhook(message.body, sender.signed(message, NOW), now=NOW)
    assert isinstance(event, PaymentSucceeded)
    after_rotation = sandbox([new])
    with pytest.raises(WebhookSignatureInvalid):
        after_rotation.parse_webhook(message.body, sender.signed(message, NOW), now=NOW)


def test_an_event_type_payments_does_not_act_on_verifies_and_maps_to_nothing():
    processor = sandbox()
    body = json.dumps({"type": "customer.updated", "timestamp": NOW.isoformat(),
                       "data": {}}).encode()
    message = WebhookMessage("msg_other", "customer.updated", body)
    assert received(processor, message) is None


@pytest.mark.parametrize("amount", [42.5, "42.505", "-1.00", "NaN"])
def test_a_signed_body_with_a_float_or_bad_amount_is_malformed_not_posted(amount):
    processor = sandbox()
    processor.charge(card())
    doc = json.loads(processor.messages[0].body)
    doc["data"]["amount"] = amount
    message = WebhookMessage("msg_bad", "payment.succeeded", json.dumps(doc).encode())
    with pytest.raises(MalformedWebhook):
        received(processor, message)


def test_a_signed_body_that_is_not_json_is_malformed():
    processor = sandbox()
    with pytest.raises(MalformedWebhook):
        received(processor, WebhookMessage("msg_bad", "x", b"not json"))
