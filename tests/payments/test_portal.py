"""The customer's payments: their own accounts only, the summary, and a payment on the
processor's hosted page that posts once to billing's ledger."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from kernel.clock import utc_now
from services.payments.processors.sandbox import SandboxProcessor
from services.payments.processors.sandbox_courier import courier_of
from tests.payments.helpers import issue_bill, make_account, outbox, table_count
from tests.payments.portal_helpers import P, charges, customer, ledger, sandbox

__all__ = ["sandbox"]


async def test_a_customer_sees_their_balance_due_date_bills_and_history(client, feed, auth,
                                                                        sandbox):
    a = await make_account(feed)
    await issue_bill(feed, a, "84.10", "84.10", due="2026-12-20")
    r = await client.get(f"{P}/{a.id}", headers=customer(auth, a.id))
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["number"], s["balance"], s["amount_due"], s["due_date"]) == (
        a.number, "84.10", "84.10", "2026-12-20")
    assert [b["total"] for b in s["open_bills"]] == ["84.10"]
    assert s["payments"] == [] and s["started"] == []


async def test_a_credit_balance_owes_nothing_and_has_no_due_date(client, feed, auth):
    a = await make_account(feed)
    await issue_bill(feed, a, "20.00", "-15.00")
    s = (await client.get(f"{P}/{a.id}", headers=customer(auth, a.id))).json()
    assert (s["balance"], s["amount_due"], s["due_date"]) == ("-15.00", "0.00", None)


async def test_a_hosted_payment_posts_once_though_the_webhook_arrives_twice(
        client, feed, auth, bound, pump, sandbox: SandboxProcessor):
    a = await make_account(feed)
    await issue_bill(feed, a, "84.10", "84.10")
    await pump("payments", "billing")
    me = customer(auth, a.id)
    r = await client.post(f"{P}/{a.id}/payments/hosted",
                          json={"amount": "84.10", "return_url": "/portal/paid"},
                          headers={**me, "Idempotency-Key": "pay-1"})
    assert r.status_code == 201, r.text
    started = r.json()
    assert started["status"] == "open" and started["url"].startswith(
        "/api/payments/sandbox/pay/cs_sbx_")
    again = await client.post(f"{P}/{a.id}/payments/hosted",
                              json={"amount": "84.10", "return_url": "/portal/paid"},
                              headers={**me, "Idempotency-Key": "pay-1"})
    assert again.json()["url"] == started["url"]

    page = await client.get(started["url"])
    assert page.status_code == 200 and "84.10" in page.text
    assert 'value="pm_card_visa"' in page.text
    assert not re.search(r"\d{12,}", page.text)  # no card number on the page, masked only
    done = await client.post(started["url"], data={"method": "pm_card_visa"})
    assert (done.status_code, done.headers["location"]) == (303, "/portal/paid")

    # the courier delivered the sandbox's signed webhook; the processor sends it again
    (message,) = [m for m in sandbox.messages if m.event_type == "payment.succeeded"]
    replay = await client.post("/api/payments/webhooks/sandbox", content=message.body,
                               headers={**sandbox.signed(message, utc_now()),
                                        "content-type": "application/json"})
    assert replay.json()["outcome"] == "duplicate"
    posted = await outbox(bound, "payments.PaymentPosted")
    assert [(p["payment"]["account_id"], p["payment"]["amount"], p["payment"]["channel"])
            for p in posted] == [(a.id, "84.10", "processor")]
    await pump("payments", "billing")
    await pump("payments", "billing")
    assert [e for e in await ledger(client, auth, a.id) if e[0] == "payment"] == [
        ("payment", "-84.10")]

    s = (await client.get(f"{P}/{a.id}", headers=me)).json()
    assert [(h["amount"], h["status"], h["channel"]) for h in s["payments"]] == [
        ("84.10", "posted", "processor")]
    assert [(x["status"], x["url"]) for x in s["started"]] == [("posted", None)]
    one = await client.get(f"{P}/{a.id}/payments/{started['id']}", headers=me)
    assert one.json()["payment_id"] == s["payments"][0]["payment_id"]


async def test_a_page_submitted_twice_charges_once(client, feed, auth, bound, sandbox):
    a = await make_account(feed)
    url = (await client.post(f"{P}/{a.id}/payments/hosted", json={"amount": "10.00"},
                             headers={**customer(auth, a.id), "Idempotency-Key": "k"})
           ).json()["url"]
    for _ in range(2):
        assert (await client.post(url, data={"method": "pm_card_visa"})).status_code == 303
    assert len(charges(sandbox)) == 1
    assert await table_count(bound, "payments", "channel = 'processor'") == 1


async def test_a_declined_card_posts_nothing(client, feed, auth, bound, sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    started = (await client.post(f"{P}/{a.id}/payments/hosted", json={"amount": "10.00"},
                                 headers={**me, "Idempotency-Key": "k"})).json()
    r = await client.post(started["url"], data={"method": "pm_card_chargeDeclined"})
    assert r.status_code == 402 and "declined" in r.text
    other = await client.post(started["url"], data={"method": "pm_card_visa"})
    assert other.status_code == 409 and "already submitted" in other.text
    assert await table_count(bound, "payments") == 0
    assert len(charges(sandbox, "payment.failed")) == 1
    s = (await client.get(f"{P}/{a.id}", headers=me)).json()
    assert s["payments"] == [] and s["started"][0]["status"] == "open"


async def test_a_refunded_payment_shows_as_returned(client, feed, auth, sandbox,
                                                    service_apps):
    a = await make_account(feed)
    me = customer(auth, a.id)
    url = (await client.post(f"{P}/{a.id}/payments/hosted", json={"amount": "30.00"},
                             headers={**me, "Idempotency-Key": "k"})).json()["url"]
    await client.post(url, data={"method": "pm_card_visa"})
    (paid,) = charges(sandbox)
    sandbox.refund(payment_id=paid["payment_id"], amount=Decimal("12.50"),
                   idempotency_key="r1", reason="requested_by_customer")
    await courier_of(service_apps["payments"].state).deliver(sandbox, [paid["payment_id"]])
    s = (await client.get(f"{P}/{a.id}", headers=me)).json()
    assert [(h["status"], h["returned_amount"]) for h in s["payments"]] == [
        ("partly_returned", "12.50")]


async def test_bad_hosted_requests_are_refused_and_write_nothing(client, feed, auth, bound,
                                                                 sandbox):
    a = await make_account(feed)
    me = customer(auth, a.id)
    url = f"{P}/{a.id}/payments/hosted"
    for body, key, field in [
        ({"amount": "0.00"}, "a", "amount"), ({"amount": "-5"}, "b", "amount"),
        ({"amount": "1.005"}, "c", "amount"), ({"amount": "100000.01"}, "d", "amount"),
        ({"amount": "5.00", "return_url": "https://evil.example/x"}, "e", "return_url"),
        ({"amount": "5.00", "return_url": "//evil.example/x"}, "f", "return_url"),
        ({"amount": "5.00", "cancel_url": "javascript:alert(1)"}, "g", "cancel_url"),
    ]:
        r = await client.post(url, json=body, headers={**me, "Idempotency-Key": key})
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert field in r.text
    r = await client.post(url, json={"amount": "5.00"}, headers=me)
    assert r.status_code == 422 and "Idempotency-Key" in r.text
    assert await table_count(bound, "portal_payments") == 0
    assert sandbox.messages == []


async def test_staff_read_a_customers_summary_but_do_not_pay_for_them(client, feed, auth):
    a = await make_account(feed)
    assert (await client.get(f"{P}/{a.id}", headers=auth("csr1", "carla"))).status_code == 200
    r = await client.post(f"{P}/{a.id}/payments/hosted", json={"amount": "5.00"},
                          headers={**auth("csr1", "carla"), "Idempotency-Key": "x"})
    assert r.status_code == 403


async def test_an_unknown_account_is_404_for_staff_too(client, auth):
    r = await client.get(f"{P}/{uuid.uuid4()}", headers=auth("csr1", "carla"))
    assert r.status_code == 404


async def test_the_sandbox_pages_exist_only_with_the_sandbox(client, service_apps):
    state = service_apps["payments"].state
    configured = state.processor

    class Other:
        name = "stripe"

    state.processor = Other()
    try:
        r = await client.get("/api/payments/sandbox/pay/cs_sbx_x")
        assert r.status_code == 404
    finally:
        state.processor = configured
    assert (await client.get("/api/payments/sandbox/pay/cs_sbx_unknown")).status_code == 404


async def test_a_returned_check_shows_as_returned_in_the_history(client, feed, auth, cashier,
                                                                 drawer):
    from tests.payments.returns_helpers import counter_check, return_check

    a = await make_account(feed)
    paid = await counter_check(client, cashier, drawer, a.number, "100.00")
    kept = await counter_check(client, cashier, drawer, a.number, "20.00", tender="cash")
    r = await return_check(client, cashier, paid["id"], code="NSF")
    assert r.status_code == 201, r.text
    s = (await client.get(f"{P}/{a.id}", headers=customer(auth, a.id))).json()
    assert {h["payment_id"]: (h["status"], h["returned_amount"]) for h in s["payments"]} == {
        paid["id"]: ("returned", "100.00"), kept["id"]: ("posted", "0.00")}


async def test_a_bank_account_on_the_sandbox_page_posts_and_an_r01_one_is_then_returned(
        client, feed, auth, bound, sandbox):
    good, bad = await make_account(feed), await make_account(feed)
    for acct, method in ((good, "pm_usBankAccount"), (bad, "pm_usBankAccount_insufficientFunds")):
        me = customer(auth, acct.id, sub=f"c-{acct.id}")
        url = (await client.post(f"{P}/{acct.id}/payments/hosted", json={"amount": "70.00"},
                                 headers={**me, "Idempotency-Key": "k"})).json()["url"]
        assert (await client.post(url, data={"method": method})).status_code == 303
    posted = await outbox(bound, "payments.PaymentPosted")
    assert sorted((p["payment"]["account_id"], p["payment"]["tender"]) for p in posted) == sorted(
        [(good.id, "bank"), (bad.id, "bank")])
    returned = await outbox(bound, "payments.PaymentReturned")
    assert [(r["account_id"], r["reason"], r["return_code"]) for r in returned] == [
        (bad.id, "ach_return", "R01")]
    s = (await client.get(f"{P}/{bad.id}", headers=customer(auth, bad.id, sub="x"))).json()
    assert [h["status"] for h in s["payments"]] == ["returned"]


async def test_a_payment_transferred_to_another_account_says_how_much_moved(
        client, feed, auth, cashier, cashier2, drawer):
    from tests.payments.refunds_helpers import key, take_cash

    wrong, right = await make_account(feed), await make_account(feed)
    p = await take_cash(client, drawer, cashier, wrong, "80.00", "pay-t1")
    r = await client.post("/api/payments/transfers", headers=key(cashier2, "tr-1"), json={
        "receipt_number": p["receipt_number"], "to_account_number": right.number,
        "amount": "30.00", "reason": "Split with the neighbour's account"})
    assert r.status_code == 201, r.text
    s = (await client.get(f"{P}/{wrong.id}", headers=customer(auth, wrong.id))).json()
    assert [(h["amount"], h["status"], h["transferred_amount"]) for h in s["payments"]] == [
        ("80.00", "posted", "30.00")]
