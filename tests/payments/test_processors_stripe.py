"""The Stripe processor's API calls, through the official library with its HTTP client replaced:
no network. The response bodies are in the shape Stripe's API reference documents for API
version 2026-10-28 (the `stripe` 16.1 default), trimmed to what a real response carries around
the fields we read. Payment methods are Stripe's test tokens (`pm_card_visa`), never numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe

from kernel.errors import Conflict
from services.payments.processors.base import (
    ChargeRequest,
    ChargeStatus,
    InvalidAmount,
    MethodKind,
    Processor,
    ProcessorUnavailable,
    RefundNotAllowed,
    UnknownPaymentMethod,
)
from services.payments.processors.stripe_processor import StripeProcessor

INTENT = {
    "id": "pi_3QaTestCard00001", "object": "payment_intent", "amount": 4250,
    "amount_capturable": 0, "amount_received": 4250, "currency": "usd", "status": "succeeded",
    "capture_method": "automatic_async", "confirmation_method": "automatic",
    "client_secret": "pi_3QaTestCard00001_secret_x", "created": 1795790000, "livemode": False,
    "latest_charge": "ch_3QaTestCard00001", "last_payment_error": None,
    "payment_method": "pm_1QaTestVisa", "payment_method_types": ["card"],
    "metadata": {"tapline_account": "1000012", "tapline_idempotency_key": "pay-1"},
}
ACH_INTENT = {
    **INTENT, "id": "pi_3QaTestAch000001", "amount": 8000, "amount_received": 0,
    "status": "processing", "payment_method": "pm_1QaTestBank",
    "payment_method_types": ["us_bank_account"],
    "metadata": {"tapline_account": "1000012", "tapline_idempotency_key": "ach-1"},
}
DECLINE = {"error": {
    "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
    "message": "Your card has insufficient funds.", "param": "",
    "request_log_url": "https://dashboard.stripe.com/test/logs/req_x",
    "payment_intent": {**INTENT, "id": "pi_3QaTestDecl00001", "status": "requires_payment_method",
                       "amount_received": 0},
}}
REFUND = {
    "id": "re_3QaTestRefund001", "object": "refund", "amount": 1250, "currency": "usd",
    "charge": "ch_3QaTestCard00001", "payment_intent": "pi_3QaTestCard00001",
    "status": "succeeded", "reason": None, "created": 1795790100,
    "metadata": {"tapline_idempotency_key": "refund-1", "tapline_reason": "overpaid"},
}
CARD_METHOD = {
    "id": "pm_1QaTestVisa", "object": "payment_method", "type": "card", "livemode": False,
    "created": 1795789000, "customer": None, "billing_details": {"name": None},
    "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030,
             "funding": "credit", "country": "US"},
}
BANK_METHOD = {
    "id": "pm_1QaTestBank", "object": "payment_method", "type": "us_bank_account",
    "livemode": False, "created": 1795789000, "customer": "cus_QaTest",
    "us_bank_account": {"account_holder_type": "individual", "account_type": "checking",
                        "bank_name": "STRIPE TEST BANK", "last4": "6789",
                        "routing_number": "110000000"},
}
SESSION = {
    "id": "cs_test_a1QaTestSession", "object": "checkout.session", "mode": "payment",
    "amount_total": 6120, "currency": "usd", "status": "open", "payment_status": "unpaid",
    "client_reference_id": "1000012",
    "url": "https://checkout.stripe.com/c/pay/cs_test_a1QaTestSession",
    "metadata": {"tapline_account": "1000012", "tapline_idempotency_key": "portal-7"},
}
MISSING = {"error": {"type": "invalid_request_error", "code": "resource_missing", "param": "id",
                     "message": "No such PaymentMethod: 'pm_never_issued'"}}


@dataclass
class Sent:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, list[str]]


class RecordedStripe(stripe.HTTPClient):
    """The library's HTTP client, answering from recorded responses and keeping what was sent."""

    name = "recorded"

    def __init__(self, *answers: tuple[int, dict[str, Any]]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.sent: list[Sent] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.sent.append(Sent(method, urlsplit(url).path, dict(headers or {}),
                              parse_qs(post_data or "")))
        status, body = self.answers.pop(0)
        return json.dumps(body), status, {"Request-Id": "req_recorded"}

    def close(self) -> None:
        return None


def stripe_with(*answers: tuple[int, dict[str, Any]]) -> tuple[StripeProcessor, RecordedStripe]:
    transport = RecordedStripe(*answers)
    processor = StripeProcessor("sk_test_recorded", ["whsec_test"], http_client=transport,
                                max_network_retries=0)
    return processor, transport


def card(amount: str = "42.50", key: str = "pay-1") -> ChargeRequest:
    return ChargeRequest("1000012", Decimal(amount), "pm_card_visa", MethodKind.CARD, key)


def test_stripe_is_a_processor():
    processor: Processor = stripe_with()[0]
    assert processor.name == "stripe"


def test_a_card_charge_is_one_confirmed_payment_intent_in_cents_with_our_metadata():
    processor, transport = stripe_with((200, INTENT))
    charge = processor.charge(card("42.50", key="pay-1"))
    assert charge.status is ChargeStatus.SUCCEEDED
    assert charge.payment_id == "pi_3QaTestCard00001"
    assert charge.amount == Decimal("42.50")
    [sent] = transport.sent
    assert (sent.method, sent.path) == ("post", "/v1/payment_intents")
    assert sent.form["amount"] == ["4250"]
    assert sent.form["currency"] == ["usd"]
    assert sent.form["payment_method"] == ["pm_card_visa"]
    assert sent.form["confirm"] == ["true"]
    assert sent.form["allowed_payment_method_types[0]"] == ["card"]
    assert sent.form["metadata[tapline_account]"] == ["1000012"]
    assert sent.form["metadata[tapline_idempotency_key]"] == ["pay-1"]


def test_a_retried_charge_sends_the_same_idempotency_key_so_stripe_charges_once():
    processor, transport = stripe_with((200, INTENT), (200, INTENT))
    first = processor.charge(card(key="pay-1"))
    again = processor.charge(card(key="pay-1"))
    assert first == again
    assert [s.headers["Idempotency-Key"] for s in transport.sent] == ["pay-1", "pay-1"]


def test_a_declined_card_is_a_failed_charge_with_the_decline_code_not_an_error():
    processor, _ = stripe_with((402, DECLINE))
    charge = processor.charge(card())
    assert charge.status is ChargeStatus.FAILED
    assert charge.failure_code == "insufficient_funds"
    assert charge.payment_id == "pi_3QaTestDecl00001"


def test_an_ach_debit_for_a_saved_bank_account_is_processing_and_carries_the_mandate():
    processor, transport = stripe_with((200, ACH_INTENT))
    charge = processor.charge(ChargeRequest(
        "1000012", Decimal("80.00"), "pm_1QaTestBank", MethodKind.US_BANK_ACCOUNT, "ach-1",
        customer="cus_QaTest", mandate="mandate_1QaTest"))
    assert charge.status is ChargeStatus.PROCESSING
    assert charge.amount == Decimal("80.00")
    form = transport.sent[0].form
    assert form["allowed_payment_method_types[0]"] == ["us_bank_account"]
    assert form["mandate"] == ["mandate_1QaTest"]
    assert form["customer"] == ["cus_QaTest"]
    assert form["off_session"] == ["true"]


@pytest.mark.parametrize("amount", ["0.00", "-1.00", "12.345"])
def test_a_bad_amount_is_refused_before_stripe_is_called(amount):
    processor, transport = stripe_with()
    with pytest.raises(InvalidAmount):
        processor.charge(card(amount))
    assert transport.sent == []


def test_a_refund_names_the_payment_and_amount_and_maps_back():
    processor, transport = stripe_with((200, REFUND))
    refund = processor.refund(payment_id="pi_3QaTestCard00001", amount=Decimal("12.50"),
                              idempotency_key="refund-1", reason="overpaid")
    assert refund.refund_id == "re_3QaTestRefund001"
    assert refund.payment_id == "pi_3QaTestCard00001"
    assert refund.amount == Decimal("12.50")
    assert refund.succeeded
    [sent] = transport.sent
    assert sent.path == "/v1/refunds"
    assert sent.form["payment_intent"] == ["pi_3QaTestCard00001"]
    assert sent.form["amount"] == ["1250"]
    assert sent.headers["Idempotency-Key"] == "refund-1"


def test_a_refund_larger_than_the_payment_is_refused_as_the_callers_mistake():
    too_much = {"error": {"type": "invalid_request_error", "code": "amount_too_large",
                          "param": "amount",
                          "message": "Refund amount ($50.00) is greater than charge amount"}}
    processor, _ = stripe_with((400, too_much))
    with pytest.raises(RefundNotAllowed):
        processor.refund(payment_id="pi_3QaTestCard00001", amount=Decimal("50.00"),
                         idempotency_key="refund-2", reason="x")


def test_a_card_payment_method_is_stored_as_token_and_masked_display_only():
    processor, transport = stripe_with((200, CARD_METHOD))
    method = processor.payment_method("pm_card_visa")
    assert method.token == "pm_1QaTestVisa"
    assert method.kind is MethodKind.CARD
    assert method.display == "visa •••• 4242"
    assert (transport.sent[0].method, transport.sent[0].path) == (
        "get", "/v1/payment_methods/pm_card_visa")


def test_a_bank_account_payment_method_shows_only_its_bank_and_last_four():
    processor, _ = stripe_with((200, BANK_METHOD))
    method = processor.payment_method("pm_1QaTestBank")
    assert method.kind is MethodKind.US_BANK_ACCOUNT
    assert method.display == "STRIPE TEST BANK •••• 6789"


def test_an_unknown_payment_method_is_the_callers_mistake():
    processor, _ = stripe_with((404, MISSING))
    with pytest.raises(UnknownPaymentMethod):
        processor.payment_method("pm_never_issued")


def test_the_hosted_page_is_a_checkout_session_for_the_amount_with_our_metadata():
    processor, transport = stripe_with((200, SESSION))
    session = processor.create_hosted_session(
        account_ref="1000012", amount=Decimal("61.20"), idempotency_key="portal-7",
        success_url="https://portal.example/paid", cancel_url="https://portal.example/bill")
    assert session.session_id == "cs_test_a1QaTestSession"
    assert session.url.startswith("https://checkout.stripe.com/")
    form = transport.sent[0].form
    assert transport.sent[0].path == "/v1/checkout/sessions"
    assert form["line_items[0][price_data][unit_amount]"] == ["6120"]
    assert form["payment_intent_data[metadata][tapline_account]"] == ["1000012"]
    assert form["payment_intent_data[metadata][tapline_idempotency_key]"] == ["portal-7"]
    assert form["mode"] == ["payment"]


def test_stripe_being_down_is_a_bad_gateway_problem():
    down = {"error": {"type": "api_error", "message": "An unknown error occurred"}}
    processor, _ = stripe_with((500, down))
    with pytest.raises(ProcessorUnavailable) as refused:
        processor.charge(card())
    assert refused.value.status == 502


def test_an_idempotency_key_reused_with_other_parameters_is_a_conflict():
    reused = {"error": {"type": "idempotency_error",
                        "message": "Keys for idempotent requests can only be used with the "
                                   "same parameters they were first used with."}}
    processor, _ = stripe_with((400, reused))
    with pytest.raises(Conflict):
        processor.charge(card("43.00", key="pay-1"))
