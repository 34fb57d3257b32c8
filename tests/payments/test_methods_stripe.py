"""Portal payments with Stripe as the processor, through the official library with its HTTP
client replaced by recorded responses (no network): the hosted page is Stripe Checkout, a saved
method is attached to a Stripe Customer, and charges of it go off-session under our key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.payments.processors.stripe_processor import StripeProcessor
from tests.payments.helpers import make_account, table_count
from tests.payments.portal_helpers import P, customer
from tests.payments.test_processors_stripe import (
    CARD_METHOD,
    INTENT,
    SESSION,
    RecordedStripe,
)
from tests.payments.test_processors_stripe_webhooks import (
    SECRET,
    intent,
    payload,
    stripe_signature,
)

CUSTOMER = {"id": "cus_QaNewCustomer", "object": "customer", "created": 1795789000,
            "livemode": False, "metadata": {"tapline_account": "x"}}


@pytest.fixture
def recorded(service_apps: dict[str, Any]) -> Iterator[RecordedStripe]:
    state = service_apps["payments"].state
    configured = state.processor
    transport = RecordedStripe()
    state.processor = StripeProcessor("sk_test_recorded", [SECRET],
                                      http_client=transport, max_network_retries=0)
    yield transport
    state.processor = configured


async def test_the_hosted_page_is_stripe_checkout_for_the_amount(client, feed, auth, recorded):
    a = await make_account(feed)
    recorded.answers.append((200, SESSION))
    r = await client.post(f"{P}/{a.id}/payments/hosted",
                          json={"amount": "61.20", "return_url": "/portal/paid"},
                          headers={**customer(auth, a.id), "Idempotency-Key": "h-1"})
    assert r.status_code == 201, r.text
    assert r.json()["url"] == SESSION["url"]
    (sent,) = recorded.sent
    assert sent.path == "/v1/checkout/sessions"
    assert sent.form["line_items[0][price_data][unit_amount]"] == ["6120"]
    assert sent.form["metadata[tapline_account]"] == [a.number]
    key = sent.form["metadata[tapline_idempotency_key]"][0]
    assert key.startswith("portal:") and sent.headers["Idempotency-Key"] == f"session-{key}"
    # Stripe returns the customer to an absolute address: the portal's public one
    assert sent.form["success_url"] == ["http://127.0.0.1:8000/portal/paid"]


async def test_a_saved_card_is_attached_to_a_customer_and_charged_off_session(
        client, feed, auth, bound, recorded):
    a = await make_account(feed)
    me = customer(auth, a.id)
    recorded.answers += [(200, CARD_METHOD), (200, CUSTOMER),
                         (200, {**CARD_METHOD, "customer": CUSTOMER["id"]})]
    saved = await client.post(f"{P}/{a.id}/methods", json={"token": "pm_1QaTestVisa"},
                              headers={**me, "Idempotency-Key": "m-1"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["display"] == "visa •••• 4242"
    retrieve, create, attach = recorded.sent
    assert (retrieve.path, create.path, attach.path) == (
        "/v1/payment_methods/pm_1QaTestVisa", "/v1/customers",
        "/v1/payment_methods/pm_1QaTestVisa/attach")
    assert create.form["metadata[tapline_account]"] == [a.number]
    assert attach.form["customer"] == [CUSTOMER["id"]]

    recorded.sent.clear()
    recorded.answers.append((200, {**INTENT, "amount": 2500, "amount_received": 2500}))
    r = await client.post(f"{P}/{a.id}/payments/saved",
                          json={"method_id": saved.json()["id"], "amount": "25.00"},
                          headers={**me, "Idempotency-Key": "now-1"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "processing"  # posts when Stripe's webhook arrives
    (intent,) = recorded.sent
    assert intent.form["customer"] == [CUSTOMER["id"]]
    assert intent.form["off_session"] == ["true"]
    assert intent.form["payment_method"] == ["pm_1QaTestVisa"]
    assert intent.headers["Idempotency-Key"].startswith("portal:")
    assert await table_count(bound, "payments") == 0


async def test_a_declined_saved_card_is_recorded_as_declined(client, feed, auth, recorded):
    from tests.payments.test_processors_stripe import DECLINE

    a = await make_account(feed)
    me = customer(auth, a.id)
    recorded.answers += [(200, {**CARD_METHOD, "customer": "cus_QaOld"})]
    saved = (await client.post(f"{P}/{a.id}/methods", json={"token": "pm_1QaTestVisa"},
                               headers={**me, "Idempotency-Key": "m-1"})).json()
    assert len(recorded.sent) == 1  # attached already: no new customer
    recorded.answers.append((402, DECLINE))
    r = await client.post(f"{P}/{a.id}/payments/saved",
                          json={"method_id": saved["id"], "amount": "25.00"},
                          headers={**me, "Idempotency-Key": "now-1"})
    assert (r.json()["status"], r.json()["failure_code"]) == ("declined", "insufficient_funds")


async def test_the_sandbox_setup_page_is_not_offered_with_stripe(client, feed, auth, recorded):
    a = await make_account(feed)
    r = await client.post(f"{P}/{a.id}/methods/setup", json={},
                          headers=customer(auth, a.id))
    assert (r.status_code, r.json()["code"]) == (422, "setup-not-offered")


async def test_a_checkout_payment_posts_once_when_stripes_signed_webhook_arrives_twice(
        client, feed, auth, bound, recorded):
    a = await make_account(feed)
    me = customer(auth, a.id)
    recorded.answers.append((200, SESSION))
    started = (await client.post(f"{P}/{a.id}/payments/hosted", json={"amount": "42.50"},
                                 headers={**me, "Idempotency-Key": "h-1"})).json()
    key = recorded.sent[0].form["metadata[tapline_idempotency_key]"][0]
    # the customer paid on Stripe's page; Stripe reports the PaymentIntent with our metadata
    body = payload("payment_intent.succeeded", intent(
        metadata={"tapline_account": a.number, "tapline_idempotency_key": key}))
    for expected in ("posted", "duplicate"):
        r = await client.post("/api/payments/webhooks/stripe", content=body,
                              headers={**stripe_signature(body, SECRET),
                                       "content-type": "application/json"})
        assert (r.status_code, r.json()["outcome"]) == (200, expected), r.text
    assert await table_count(bound, "payments", "channel = 'processor'") == 1
    got = (await client.get(f"{P}/{a.id}/payments/{started['id']}", headers=me)).json()
    assert (got["status"], got["amount"]) == ("posted", "42.50")
