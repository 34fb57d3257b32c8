"""Bad returns: each a clear problem+json, and nothing written (no return, no event, no
audit row)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from kernel.clock import utility_today
from tests.payments.helpers import make_account, outbox, table_count
from tests.payments.returns_helpers import audit_rows, counter_check, return_check

PROBLEM = "application/problem+json"


async def _nothing_written(bound) -> None:
    assert await table_count(bound, "payment_returns") == 0
    assert await outbox(bound, "payments.PaymentReturned") == []
    assert await outbox(bound, "payments.CashOnlyChanged") == []
    assert await audit_rows(bound, "return-payment") == []


async def test_an_unknown_payment_is_404(client, feed, cashier, bound):
    r = await return_check(client, cashier, str(uuid.uuid4()))
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    by_receipt = await return_check(client, cashier, None, receipt_number=999_999_999)
    assert by_receipt.status_code == 404
    await _nothing_written(bound)


@pytest.mark.parametrize(("change", "field"), [
    ({"on": "future"}, "returned_on"),
    ({"on": "before"}, "returned_on"),
    ({"code": None}, "return_code"),
    ({"code": "BOUNCED"}, "return_code"),
    ({"code": "R01"}, "return_code"),
    ({"code": "OTHER"}, "note"),
    ({"waive_reason": "no waiver asked"}, "waive_reason"),
    ({"receipt_number": "both"}, "payment_id"),
    ({"on": "2026-13-01"}, "returned_on"),
])
async def test_bad_input_is_a_problem_and_writes_nothing(client, feed, cashier, drawer, bound,
                                                         change, field):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "50.00")
    today = utility_today()
    kw = dict(change)
    if kw.get("on") == "future":
        kw["on"] = (today + timedelta(days=1)).isoformat()
    elif kw.get("on") == "before":
        kw["on"] = (today - timedelta(days=1)).isoformat()
    if kw.get("receipt_number") == "both":
        kw["receipt_number"] = p["receipt_number"]
    r = await return_check(client, cashier, p["id"], **kw)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, r.text
    assert field in {e["field"] for e in r.json()["errors"]}
    await _nothing_written(bound)


async def test_a_return_without_an_idempotency_key_is_refused(client, feed, cashier, drawer,
                                                              bound):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "50.00")
    r = await client.post("/api/payments/returns", headers=cashier, json={
        "payment_id": p["id"], "return_code": "NSF",
        "returned_on": utility_today().isoformat()})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Idempotency-Key"
    await _nothing_written(bound)


async def test_a_card_payment_is_reversed_by_the_processor_not_here(client, feed, cashier,
                                                                    drawer, bound):
    a = await make_account(feed)
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers={**cashier, "Idempotency-Key": "card-1"},
                          json={"account_number": a.number, "amount": "50.00", "tender": "card",
                                "processor_token": "tok_sandbox_visa"})
    assert r.status_code == 201, r.text
    refused = await return_check(client, cashier, r.json()["id"])
    assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
    assert "processor's webhooks" in refused.json()["detail"]
    await _nothing_written(bound)


async def test_a_check_still_keyed_in_an_open_batch_is_not_returned(client, feed, cashier,
                                                                    bound):
    a = await make_account(feed)
    b = await client.post("/api/payments/batches", headers=cashier, json={
        "received_on": utility_today().isoformat(), "control_total": "10.00",
        "control_count": 1})
    keyed = await client.post(f"/api/payments/batches/{b.json()['id']}/payments",
                              headers={**cashier, "Idempotency-Key": "k-1"},
                              json={"account_number": a.number, "amount": "10.00",
                                    "check_number": "5", "bank": "Valley Bank"})
    r = await return_check(client, cashier, keyed.json()["id"])
    assert r.status_code == 409 and r.headers["content-type"] == PROBLEM
    await _nothing_written(bound)


async def test_a_field_technician_cannot_return_a_payment(client, feed, cashier, drawer, auth,
                                                          bound):
    a = await make_account(feed)
    p = await counter_check(client, cashier, drawer, a.number, "50.00")
    r = await return_check(client, auth("field_tech", "fred"), p["id"])
    assert r.status_code == 403
    await _nothing_written(bound)
