"""Transfers of misapplied payments: money moved between two accounts' ledgers exactly once,
with who asked, who approved and why."""

from __future__ import annotations

from decimal import Decimal

from tests.payments.helpers import make_account, outbox, pdf_text
from tests.payments.helpers import table_count as count
from tests.payments.refunds_helpers import balance, key, ledger, take_cash
from tests.payments.returns_helpers import counter_check, return_check

URL = "/api/payments/transfers"


async def test_a_misapplied_payment_transferred_moves_the_money_between_the_two_ledgers_once(
        client, feed, cashier, cashier2, drawer, pump, bound, sup):
    wrong, right = await make_account(feed), await make_account(feed)
    p = await take_cash(client, drawer, cashier, wrong, "80.00", "pay-t1")
    await pump("payments", "billing")
    body = {"receipt_number": p["receipt_number"], "to_account_number": right.number,
            "amount": "80.00", "reason": "Keyed to the neighbour's account"}
    r = await client.post(URL, json=body, headers=key(cashier2, "tr-1"))  # csr2: $100
    assert r.status_code == 201, r.text
    t = r.json()
    assert (t["status"], t["requested_by"], t["approved_by"]) == ("transferred", "chris",
                                                                   "chris")
    again = await client.post(URL, json=body, headers=key(cashier2, "tr-1"))
    assert again.json()["id"] == t["id"]
    (ev,) = await outbox(bound, "payments.PaymentTransferred")
    assert (ev["from_account_id"], ev["to_account_id"], ev["amount"], ev["payment_id"]) == (
        wrong.id, right.id, "80.00", p["id"])
    await pump("payments", "billing")
    await pump("payments", "billing")  # a redelivery posts nothing
    w, rt = await ledger(client, sup, wrong.id), await ledger(client, sup, right.id)
    assert sorted((e["kind"], e["amount"], e["reference"]) for e in w) == [
        ("payment", "-80.00", p["id"]), ("transfer_out", "80.00", f"transfer:{t['id']}:out")]
    assert [(e["kind"], e["amount"], e["reference"]) for e in rt] == [
        ("transfer_in", "-80.00", f"transfer:{t['id']}:in")]
    assert (balance(w), balance(rt)) == (Decimal("0.00"), Decimal("-80.00"))
    listed = (await client.get(URL, params={"account": right.number}, headers=cashier)).json()
    assert [x["id"] for x in listed] == [t["id"]]
    pdf = await client.get(f"/api/payments/receipts/{p['receipt_number']}/pdf", headers=cashier)
    assert "transferred to account" in pdf_text(pdf.content)


async def test_a_transfer_over_the_csrs_authority_waits_for_a_supervisor_not_the_requester(
        client, feed, cashier, drawer, bound, auth):
    wrong, right = await make_account(feed), await make_account(feed)
    p = await take_cash(client, drawer, cashier, wrong, "1500.00", "pay-t2")
    body = {"payment_id": p["id"], "to_account_number": right.number, "amount": "60.00",
            "reason": "Paid on the landlord's account"}
    r = await client.post(URL, json=body, headers=key(cashier, "tr-2"))  # csr1: $25
    t = r.json()
    assert (r.status_code, t["status"], t["approved_by"]) == (201, "pending", None)
    assert await outbox(bound, "payments.PaymentTransferred") == []
    own = await client.post(f"{URL}/{t['id']}/approve", headers=cashier)
    assert own.status_code == 403 and "own" in own.json()["detail"]
    # a supervisor's own request above their authority waits too, and they cannot approve it
    sam, sue = auth("supervisor", "sam"), auth("supervisor", "sue")
    big = (await client.post(URL, json={**body, "amount": "1200.00"},
                             headers=key(sam, "tr-3"))).json()
    assert big["status"] == "pending"
    assert (await client.post(f"{URL}/{big['id']}/approve", headers=sam)).status_code == 403
    assert (await client.post(f"{URL}/{big['id']}/approve", headers=sue)).status_code == 403
    no = await client.post(f"{URL}/{big['id']}/reject", json={"reason": "Wrong amount"},
                           headers=sue)
    assert (no.json()["status"], no.json()["rejection_reason"]) == ("rejected", "Wrong amount")
    ok = await client.post(f"{URL}/{t['id']}/approve", headers=sam)
    assert ok.status_code == 200, ok.text
    assert (ok.json()["status"], ok.json()["approved_by"]) == ("transferred", "sam")
    (ev,) = await outbox(bound, "payments.PaymentTransferred")
    assert (ev["requested_by"], ev["approved_by"], ev["reason"]) == (
        "carla", "sam", "Paid on the landlord's account")
    again = await client.post(f"{URL}/{t['id']}/approve", headers=sue)
    assert again.status_code == 409


async def test_transferring_more_than_is_left_of_the_payment_is_422_and_writes_nothing(
        client, feed, cashier, cashier2, drawer, bound):
    wrong, right = await make_account(feed), await make_account(feed)
    p = await take_cash(client, drawer, cashier, wrong, "50.00", "pay-t3")
    body = {"receipt_number": p["receipt_number"], "to_account_number": right.number,
            "amount": "10.00", "reason": "Split payment, part misapplied"}
    assert (await client.post(URL, json=body, headers=key(cashier2, "tr-4"))).status_code == 201
    r = await client.post(URL, json={**body, "amount": "40.01"}, headers=key(cashier2, "tr-5"))
    assert r.status_code == 422
    assert (r.json()["remaining"], r.json()["errors"][0]["field"]) == ("40.00", "amount")
    assert await count(bound, "transfers") == 1
    assert len(await outbox(bound, "payments.PaymentTransferred")) == 1
    # a transfer waiting for approval claims its part too
    assert (await client.post(URL, json={**body, "amount": "40.00"},
                              headers=key(cashier, "tr-6"))).json()["status"] == "pending"
    r = await client.post(URL, json={**body, "amount": "0.01"}, headers=key(cashier2, "tr-7"))
    assert (r.status_code, r.json()["remaining"]) == (422, "0.00")
    assert await count(bound, "transfers") == 2


async def test_bad_transfer_requests_are_refused_with_nothing_written(
        client, feed, cashier2, cashier, drawer, bound):
    wrong, right = await make_account(feed), await make_account(feed)
    p = await take_cash(client, drawer, cashier, wrong, "40.00", "pay-t4")
    base = {"payment_id": p["id"], "to_account_number": right.number, "amount": "10.00",
            "reason": "misapplied"}
    bad_digit = right.number[:-1] + str((int(right.number[-1]) + 1) % 10)
    cases = [
        ({**base, "receipt_number": p["receipt_number"]}, "k1", 422),  # both named
        ({**base, "to_account_number": bad_digit}, "k2", 422),
        ({**base, "to_account_number": wrong.number}, "k3", 422),  # the same account
        ({**base, "amount": "0.00"}, "k4", 422),
        ({**base, "amount": "1.234"}, "k5", 422),
        ({**base, "reason": ""}, "k6", 422),
        ({**base, "payment_id": "7f1d1c1e-0000-4000-8000-000000000000"}, "k7", 404),
    ]
    for body, k, status in cases:
        r = await client.post(URL, json=body, headers=key(cashier2, k))
        assert r.status_code == status, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert (await client.post(URL, json=base, headers=cashier2)).status_code == 422  # no key
    assert await count(bound, "transfers") == 0


async def test_customers_cannot_reach_transfers_or_refunds(client, feed, auth):
    a = await make_account(feed)
    me = auth("customer", "cust-1", accounts=(a.id,))
    for method, path in (("GET", URL), ("POST", URL), ("GET", "/api/payments/refunds"),
                         ("POST", "/api/payments/refunds"),
                         ("POST", "/api/payments/refunds/check-requests"),
                         ("GET", "/api/payments/refunds/deposit-releases")):
        r = await client.request(method, path, headers=key(me, "c-1"),
                                 json={} if method == "POST" else None)
        assert r.status_code == 403, (path, r.text)


async def test_a_returned_check_has_nothing_left_to_transfer(
        client, feed, cashier, cashier2, drawer, bound):
    wrong, right = await make_account(feed), await make_account(feed)
    p = await counter_check(client, cashier, drawer, wrong.number, "45.00")
    assert (await return_check(client, cashier, p["id"])).status_code == 201
    r = await client.post(URL, json={"payment_id": p["id"], "to_account_number": right.number,
                                     "amount": "1.00", "reason": "misapplied"},
                          headers=key(cashier2, "tr-ret"))
    assert (r.status_code, r.json()["remaining"]) == (422, "0.00")
    assert await count(bound, "transfers") == 0


async def test_the_receipt_lists_the_payments_transfers(
        client, feed, cashier, cashier2, drawer):
    wrong, right = await make_account(feed), await make_account(feed)
    p = await take_cash(client, drawer, cashier, wrong, "90.00", "pay-t5")
    t = (await client.post(URL, json={"payment_id": p["id"], "to_account_number": right.number,
                                      "amount": "15.00", "reason": "Half of a shared bill"},
                           headers=key(cashier2, "tr-8"))).json()
    rc = (await client.get(f"/api/payments/receipts/{p['receipt_number']}", headers=cashier)
          ).json()
    assert [(x["transfer_id"], x["to_account_number"], x["amount"], x["reason"])
            for x in rc["transferred"]] == [(t["id"], right.number, "15.00",
                                             "Half of a shared bill")]


async def test_a_check_returned_after_part_of_it_was_transferred_leaves_both_accounts_as_before(
        client, feed, cashier, cashier2, drawer, pump, bound, sup):
    """The money never arrived: the part moved to the other account is taken back before the
    payment is reversed in full, so neither account keeps a credit from a bounced check."""
    payer, other = await make_account(feed), await make_account(feed)
    p = await counter_check(client, cashier, drawer, payer.number, "90.00")
    moved = await client.post(URL, json={
        "payment_id": p["id"], "to_account_number": other.number, "amount": "20.00",
        "reason": "Part was for the neighbour"}, headers=key(cashier2, "tr-back"))
    assert moved.json()["status"] == "transferred"
    waiting = await client.post(URL, json={
        "payment_id": p["id"], "to_account_number": other.number, "amount": "70.00",
        "reason": "The rest too"}, headers=key(cashier, "tr-wait"))  # csr1: over $25, waits
    assert waiting.json()["status"] == "pending"
    r = await return_check(client, cashier, p["id"], code="NSF", waive_fee=False)
    assert r.status_code == 201, r.text
    await pump("payments", "billing")
    await pump("payments", "billing")
    w, o = await ledger(client, sup, payer.id), await ledger(client, sup, other.id)
    fee = sum(Decimal(e["amount"]) for e in w if e["kind"] == "returned_payment_fee")
    assert balance(w) - fee == Decimal("0.00")
    assert balance(o) == Decimal("0.00")
    assert sorted(e["kind"] for e in o) == ["transfer_in", "transfer_out"]
    listed = {t["id"]: t for t in (await client.get(
        URL, params={"receipt_number": p["receipt_number"]}, headers=cashier)).json()}
    assert listed[waiting.json()["id"]]["status"] == "rejected"
    backs = [t for t in listed.values() if t["from_account_number"] == other.number]
    assert [(t["amount"], t["to_account_number"], t["status"]) for t in backs] == [
        ("20.00", payer.number, "transferred")]
    assert await count(bound, "transfers") == 3
