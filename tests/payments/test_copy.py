"""Payments' copy of accounts and billing data: fed only by events, in any order across keys,
rebuilt by replay, and a counter that waits for an account it has not heard of."""

from __future__ import annotations

import uuid

from tests.payments.helpers import issue_bill, make_account, new_number, table_count


async def _view(client, h, number):
    r = await client.get(f"/api/payments/accounts/{number}", headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_holder_s_name_arrives_whichever_event_comes_first(client, feed, cashier):
    cust = str(uuid.uuid4())
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    n1, n2 = new_number(), new_number()
    # account before its customer
    await feed.send("accounts.AccountChanged", f"account:{first}", {"account": {
        "id": first, "number": n1, "customer_id": cust, "status": "active"}})
    await feed.drain()
    assert (await _view(client, cashier, n1))["name"] == ""
    await feed.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "name": "Rosa Diaz"}})
    await feed.drain()
    assert (await _view(client, cashier, n1))["name"] == "Rosa Diaz"
    # customer before the account
    await feed.send("accounts.AccountChanged", f"account:{second}", {"account": {
        "id": second, "number": n2, "customer_id": cust, "status": "active"}})
    await feed.drain()
    assert (await _view(client, cashier, n2))["name"] == "Rosa Diaz"
    # a rename reaches every account of the customer
    await feed.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "name": "Rosa Diaz-Ng"}})
    await feed.drain()
    assert {(await _view(client, cashier, n))["name"] for n in (n1, n2)} == {"Rosa Diaz-Ng"}


async def test_open_bills_and_balance_follow_billing_s_events(client, feed, cashier):
    a = await make_account(feed)
    old = await issue_bill(feed, a, "70.00", "70.00")
    await feed.send("billing.BillCancelled", f"account:{a.id}", {
        "bill_id": old, "account_id": a.id, "reason": "misread", "replaced_by": None})
    new = await issue_bill(feed, a, "45.00", "45.00", due="2026-03-05")
    v = await _view(client, cashier, a.number)
    assert [b["id"] for b in v["open_bills"]] == [new] and v["balance"] == "45.00"
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", {"entry": {
        "id": str(uuid.uuid4()), "account_id": a.id, "kind": "payment", "amount": "-45.00",
        "posted_on": "2026-02-20", "reference": "p", "corrects": None}, "balance": "0.00"})
    await feed.drain()
    assert (await _view(client, cashier, a.number))["balance"] == "0.00"


async def test_a_status_or_cash_only_change_replaces_the_copy_s_row(client, feed, cashier):
    a = await make_account(feed)
    await feed.send("accounts.AccountChanged", f"account:{a.id}", {"account": {
        "id": a.id, "number": a.number, "customer_id": a.customer_id, "status": "closed",
        "cash_only": True}})
    await feed.drain()
    v = await _view(client, cashier, a.number)
    assert (v["status"], v["cash_only"], v["name"]) == ("closed", True, a.name)


async def test_a_payment_for_an_account_payments_has_not_heard_of_waits_for_it(
        client, feed, cashier, drawer, bound):
    """Decision on a copy (docs/events.md): the counter refuses, takes nothing, and the same
    request succeeds once accounts' event has arrived."""
    acct, number = str(uuid.uuid4()), new_number()
    url = f"/api/payments/drawers/{drawer['id']}/payments"
    body = {"account_number": number, "amount": "25.00", "tender": "cash"}
    h = {**cashier, "Idempotency-Key": "early"}
    early = await client.post(url, json=body, headers=h)
    assert early.status_code == 404 and "announced" in early.json()["detail"]
    assert await table_count(bound, "payments") == 0
    await feed.send("accounts.AccountChanged", f"account:{acct}", {"account": {
        "id": acct, "number": number, "customer_id": None, "status": "pending"}})
    await feed.drain()
    later = await client.post(url, json=body, headers=h)
    assert later.status_code == 201 and later.json()["account_id"] == acct


async def test_the_copy_is_rebuilt_by_replaying_its_events(client, feed, cashier, sup, auth,
                                                         bound):
    a = await make_account(feed, name="Lee Park")
    b = await make_account(feed, cash_only=True)
    await issue_bill(feed, a, "33.00", "33.00")
    await issue_bill(feed, b, "12.00", "52.00")
    before = [await _view(client, cashier, x.number) for x in (a, b)]
    # applying the same events again changes nothing
    await feed.send("accounts.AccountChanged", f"account:{a.id}", {"account": {
        "id": a.id, "number": a.number, "customer_id": a.customer_id, "status": "active"}})
    await feed.drain()
    assert await _view(client, cashier, a.number) == before[0]
    assert (await client.post("/api/payments/copy/rebuild", json={},
                              headers=cashier)).status_code == 403
    r = await client.post("/api/payments/copy/rebuild", json={"mode": "local"}, headers=sup)
    assert r.status_code == 200 and r.json()["events_requeued"] == 7
    assert await table_count(bound, "accounts") == 0
    await feed.drain()
    assert [await _view(client, cashier, x.number) for x in (a, b)] == before
