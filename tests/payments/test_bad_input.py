"""Every bad input at the counter and in a batch: a clear problem+json naming the field, and
nothing written (no payment, no event)."""

from __future__ import annotations

import pytest

from tests.payments.helpers import make_account, new_number, posted_events, table_count

PROBLEM = "application/problem+json"


async def _nothing_written(bound) -> None:
    assert await table_count(bound, "payments") == 0
    assert await posted_events(bound) == []


@pytest.mark.parametrize(("amount", "why"), [
    ("0", "zero"), ("0.00", "zero"), ("-5.00", "negative"), ("12.345", "three decimals"),
    ("1e3", "exponent is fine only when whole cents"), ("NaN", "not a number"),
])
async def test_amounts_above_zero_in_whole_cents_only(client, feed, cashier, drawer, bound,
                                                      amount, why):
    a = await make_account(feed)
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers={**cashier, "Idempotency-Key": f"amt-{amount}"},
                          json={"account_number": a.number, "amount": amount,
                                "tender": "cash"})
    if amount == "1e3":  # 1000 exactly: a valid amount written another way
        assert r.status_code == 201 and r.json()["amount"] == "1000.00"
        return
    assert r.status_code == 422, (why, r.text)
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["errors"][0]["field"] == "amount"
    await _nothing_written(bound)


async def test_a_number_whose_check_digit_is_wrong_is_refused(client, feed, cashier, drawer,
                                                              bound):
    a = await make_account(feed)
    wrong = a.number[:-1] + str((int(a.number[-1]) + 1) % 10)
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers={**cashier, "Idempotency-Key": "cd"},
                          json={"account_number": wrong, "amount": "5.00", "tender": "cash"})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert "check digit" in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == "account_number"
    lookup = await client.get(f"/api/payments/accounts/{wrong}", headers=cashier)
    assert lookup.status_code == 422
    await _nothing_written(bound)


async def test_an_account_payments_has_not_heard_of_is_refused(client, cashier, drawer, bound):
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers={**cashier, "Idempotency-Key": "unknown"},
                          json={"account_number": new_number(), "amount": "5.00",
                                "tender": "cash"})
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    assert r.json()["errors"][0]["field"] == "account_number"
    await _nothing_written(bound)


async def test_a_payment_without_an_idempotency_key_is_refused(client, feed, cashier, drawer,
                                                               bound):
    a = await make_account(feed)
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments", headers=cashier,
                          json={"account_number": a.number, "amount": "5.00", "tender": "cash"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Idempotency-Key"
    await _nothing_written(bound)


async def test_the_same_key_for_another_payment_is_refused(client, feed, cashier, drawer,
                                                           bound):
    a = await make_account(feed)
    url = f"/api/payments/drawers/{drawer['id']}/payments"
    h = {**cashier, "Idempotency-Key": "same"}
    ok = await client.post(url, headers=h, json={"account_number": a.number, "amount": "5.00",
                                                 "tender": "cash"})
    assert ok.status_code == 201
    other = await client.post(url, headers=h, json={"account_number": a.number,
                                                    "amount": "6.00", "tender": "cash"})
    assert other.status_code == 422 and other.headers["content-type"] == PROBLEM
    assert await table_count(bound, "payments") == 1


@pytest.mark.parametrize(("extra", "field"), [
    ({"tender": "check", "bank": "Town Bank"}, "check_number"),
    ({"tender": "check", "check_number": "12"}, "bank"),
    ({"tender": "check", "check_number": "12a", "bank": "Town Bank"}, "check_number"),
    ({"tender": "check", "check_number": "12", "bank": "acct 123456789"}, "bank"),
    ({"tender": "money_order"}, "money_order_number"),
    ({"tender": "card"}, "processor_token"),
    ({"tender": "bank", "processor_token": "12"}, "processor_token"),
    ({"tender": "cash", "check_number": "12"}, "check_number"),
    ({"tender": "gold"}, "tender"),
])
async def test_a_tender_needs_exactly_its_details(client, feed, cashier, drawer, bound, extra,
                                                  field):
    a = await make_account(feed)
    r = await client.post(f"/api/payments/drawers/{drawer['id']}/payments",
                          headers={**cashier, "Idempotency-Key": "t"},
                          json={"account_number": a.number, "amount": "5.00", **extra})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["errors"][0]["field"] == field
    await _nothing_written(bound)


async def test_a_count_with_an_unknown_denomination_or_negative_pieces_closes_nothing(
        client, cashier, drawer):
    for counts, field in (({"3": 1}, "counts.3"), ({"20": -1}, "counts.20"),
                          ({"20": 1.5}, "counts.20"), ({"20": True}, "counts.20")):
        r = await client.post(f"/api/payments/drawers/{drawer['id']}/close",
                              json={"counts": counts}, headers=cashier)
        assert r.status_code == 422, counts
        assert r.json()["errors"][0]["field"] == field
    d = await client.get(f"/api/payments/drawers/{drawer['id']}", headers=cashier)
    assert d.json()["status"] == "open"


async def test_a_negative_float_opens_no_drawer(client, cashier, bound):
    r = await client.post("/api/payments/drawers", json={"float_amount": "-1.00"},
                          headers=cashier)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert await table_count(bound, "drawers") == 0
