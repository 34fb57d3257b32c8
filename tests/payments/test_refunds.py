"""Refunds of a credit balance: requested, approved by a supervisor, exported as a check request
for accounts payable, and posted by billing once; never more than the credit."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from tests.payments.helpers import make_account, outbox
from tests.payments.helpers import table_count as count
from tests.payments.refunds_helpers import ADDRESS, balance, key, ledger, make_payee, take_cash

URL = "/api/payments/refunds"
EXPORT = f"{URL}/check-requests"


async def overpaid(client, feed, drawer, cashier, pump, amount: str, name: str = "Rosa Díaz"):
    """An account with a credit: a payment with nothing owed, posted and announced back."""
    a = await make_payee(feed, name)
    p = await take_cash(client, drawer, cashier, a, amount, f"pay-{a.number}")
    await pump("payments", "billing")
    await pump("billing", "payments")
    return a, p


async def test_a_credit_refund_requested_approved_exported_zeroes_the_balance_once(
        client, feed, cashier, drawer, pump, bound, sup, auth):
    a, _ = await overpaid(client, feed, drawer, cashier, pump, "150.00")
    r = await client.post(URL, json={"account_number": a.number, "amount": "150.00",
                                     "reason": "Overpaid; moving out"},
                          headers=key(cashier, "rf-1"))
    assert r.status_code == 201, r.text
    ref = r.json()
    assert (ref["status"], ref["source"], ref["requested_by"]) == ("pending", "credit_balance",
                                                                   "carla")
    ok = await client.post(f"{URL}/{ref['id']}/approve", headers=sup)
    assert (ok.status_code, ok.json()["approved_by"]) == (200, "sam")
    tech = auth("billing_tech", "tina")
    ex = await client.post(EXPORT, headers=key(tech, "ex-1"))
    assert ex.status_code == 201, ex.text
    cr = ex.json()
    assert (cr["refund_count"], cr["total"], cr["refund_ids"]) == (1, "150.00", [ref["id"]])
    got = await client.get(f"{EXPORT}/{cr['id']}/csv", headers=tech)
    assert got.headers["content-type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(got.text)))
    assert row == {"request_id": ref["id"], "payee_name": "Rosa Díaz",
                   "address_line1": ADDRESS["line1"], "address_line2": ADDRESS["line2"],
                   "city": ADDRESS["city"], "state": ADDRESS["state"],
                   "postal_code": ADDRESS["postal_code"], "account_number": a.number,
                   "amount": "150.00", "reason": "Overpaid; moving out", "approved_by": "sam"}
    (ev,) = await outbox(bound, "payments.RefundIssued")
    assert (ev["refund_id"], ev["amount"], ev["source"], ev["check_request_id"],
            ev["requested_by"], ev["approved_by"]) == (ref["id"], "150.00", "credit_balance",
                                                       cr["id"], "carla", "sam")
    await pump("payments", "billing")
    await pump("payments", "billing")  # a redelivery posts nothing
    entries = await ledger(client, sup, a.id)
    assert [(e["kind"], e["amount"]) for e in entries] == [("payment", "-150.00"),
                                                           ("refund", "150.00")]
    assert balance(entries) == Decimal("0.00")
    await pump("billing", "payments")
    issued = (await client.get(f"{URL}/{ref['id']}", headers=sup)).json()
    assert (issued["status"], issued["check_request_id"]) == ("issued", cr["id"])
    # the credit is spent: nothing more can be refunded
    more = await client.post(URL, json={"account_number": a.number, "amount": "0.01",
                                        "reason": "again"}, headers=key(cashier, "rf-2"))
    assert (more.status_code, more.json()["credit"]) == (422, "0.00")


async def test_a_refund_larger_than_the_credit_is_422_with_the_credit_and_writes_nothing(
        client, feed, cashier, drawer, pump, bound):
    a, _ = await overpaid(client, feed, drawer, cashier, pump, "40.00")
    body = {"account_number": a.number, "amount": "40.01", "reason": "Overpaid"}
    r = await client.post(URL, json=body, headers=key(cashier, "rf-3"))
    assert (r.status_code, r.json()["credit"], r.json()["errors"][0]["field"]) == (
        422, "40.00", "amount")
    assert await count(bound, "refunds") == 0
    # a waiting refund claims its part of the credit
    first = await client.post(URL, json={**body, "amount": "30.00"},
                              headers=key(cashier, "rf-4"))
    assert first.status_code == 201
    r = await client.post(URL, json={**body, "amount": "10.01"}, headers=key(cashier, "rf-5"))
    assert (r.status_code, r.json()["credit"]) == (422, "10.00")
    owed = await make_account(feed)
    r = await client.post(URL, json={**body, "account_number": owed.number, "amount": "1.00"},
                          headers=key(cashier, "rf-6"))
    assert (r.status_code, r.json()["credit"]) == (422, "0.00")
    assert await count(bound, "refunds") == 1


async def test_approval_rechecks_the_credit_and_nobody_approves_their_own(
        client, feed, cashier, cashier2, drawer, pump, bound, sup, auth):
    a, p = await overpaid(client, feed, drawer, cashier, pump, "100.00")
    own = (await client.post(URL, json={"account_number": a.number, "amount": "100.00",
                                        "reason": "Overpaid"}, headers=key(sup, "rf-7"))).json()
    r = await client.post(f"{URL}/{own['id']}/approve", headers=sup)
    assert r.status_code == 403 and "own" in r.json()["detail"]
    assert (await client.post(f"{URL}/{own['id']}/approve", headers=cashier2)).status_code == 403
    # since the request, $40 of the payment was moved to the account it was meant for
    other = await make_account(feed)
    t = await client.post("/api/payments/transfers", json={
        "payment_id": p["id"], "to_account_number": other.number, "amount": "40.00",
        "reason": "Part was for the neighbour"}, headers=key(cashier2, "tr-r1"))
    assert t.json()["status"] == "transferred"
    await pump("payments", "billing")
    await pump("billing", "payments")
    sue = auth("supervisor", "sue")
    late = await client.post(f"{URL}/{own['id']}/approve", headers=sue)
    assert (late.status_code, late.json()["credit"]) == (409, "60.00")
    no = await client.post(f"{URL}/{own['id']}/reject", json={"reason": "Credit used"},
                           headers=sue)
    assert (no.json()["status"], no.json()["rejected_by"]) == ("rejected", "sue")
    assert await outbox(bound, "payments.RefundIssued") == []


async def test_exporting_twice_gives_the_same_file_and_issues_nothing_twice(
        client, feed, cashier, drawer, pump, bound, sup):
    a, _ = await overpaid(client, feed, drawer, cashier, pump, "25.00", "Lee Park")
    b, _ = await overpaid(client, feed, drawer, cashier, pump, "60.00", "Ann Moss")
    for acct, amount, k in ((a, "25.00", "rf-8"), (b, "60.00", "rf-9")):
        ref = (await client.post(URL, json={"account_number": acct.number, "amount": amount,
                                            "reason": "Overpaid"},
                                 headers=key(cashier, k))).json()
        assert (await client.post(f"{URL}/{ref['id']}/approve", headers=sup)).status_code == 200
    first = await client.post(EXPORT, headers=key(sup, "ex-2"))
    again = await client.post(EXPORT, headers=key(sup, "ex-2"))
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    cr = first.json()
    assert (cr["refund_count"], cr["total"]) == (2, "85.00")
    csv1 = (await client.get(f"{EXPORT}/{cr['id']}/csv", headers=sup)).text
    assert [r["payee_name"] for r in csv.DictReader(io.StringIO(csv1))] == ["Lee Park",
                                                                            "Ann Moss"]
    # a new key: nothing approved is left, so no second file and nothing issued again
    nothing = await client.post(EXPORT, headers=key(sup, "ex-3"))
    assert nothing.status_code == 409
    assert len(await outbox(bound, "payments.RefundIssued")) == 2
    assert await count(bound, "check_requests") == 1
    await pump("payments", "billing")
    assert balance(await ledger(client, sup, b.id)) == Decimal("0.00")


async def test_an_export_refuses_a_refund_the_credit_no_longer_covers(
        client, feed, cashier, cashier2, drawer, pump, bound, sup):
    a, p = await overpaid(client, feed, drawer, cashier, pump, "50.00")
    ref = (await client.post(URL, json={"account_number": a.number, "amount": "50.00",
                                        "reason": "Overpaid"}, headers=key(cashier, "rf-10"))
           ).json()
    await client.post(f"{URL}/{ref['id']}/approve", headers=sup)
    other = await make_account(feed)
    await client.post("/api/payments/transfers", json={
        "payment_id": p["id"], "to_account_number": other.number, "amount": "20.00",
        "reason": "misapplied"}, headers=key(cashier2, "tr-r2"))
    await pump("payments", "billing")
    await pump("billing", "payments")
    r = await client.post(EXPORT, headers=key(sup, "ex-4"))
    assert r.status_code == 409
    assert r.json()["refunds"] == [{"refund_id": ref["id"], "account_id": a.id,
                                    "amount": "50.00", "credit": "30.00"}]
    assert await count(bound, "check_requests") == 0
    assert await outbox(bound, "payments.RefundIssued") == []


async def test_a_voided_check_request_posts_a_correction_pointing_at_the_refund(
        client, feed, cashier, drawer, pump, bound, sup):
    a, _ = await overpaid(client, feed, drawer, cashier, pump, "70.00")
    ref = (await client.post(URL, json={"account_number": a.number, "amount": "70.00",
                                        "reason": "Overpaid"}, headers=key(cashier, "rf-11"))
           ).json()
    assert (await client.post(f"{URL}/{ref['id']}/void", json={"reason": "x"},
                              headers=sup)).status_code == 409  # not issued yet
    await client.post(f"{URL}/{ref['id']}/approve", headers=sup)
    await client.post(EXPORT, headers=key(sup, "ex-5"))
    await pump("payments", "billing")
    v = await client.post(f"{URL}/{ref['id']}/void",
                          json={"reason": "Customer came back; keep the credit"}, headers=sup)
    assert (v.status_code, v.json()["status"], v.json()["voided_by"]) == (200, "voided", "sam")
    (ev,) = await outbox(bound, "payments.RefundVoided")
    assert (ev["refund_id"], ev["amount"], ev["reason"]) == (
        ref["id"], "70.00", "Customer came back; keep the credit")
    await pump("payments", "billing")
    await pump("payments", "billing")
    entries = {e["reference"]: e for e in await ledger(client, sup, a.id)}
    first, undo = entries[f"refund:{ref['id']}"], entries[f"refund-void:{ref['id']}"]
    assert (first["amount"], undo["amount"], undo["kind"], undo["corrects"]) == (
        "70.00", "-70.00", "refund", first["id"])
    assert balance(list(entries.values())) == Decimal("-70.00")
    assert (await client.post(f"{URL}/{ref['id']}/void", json={"reason": "again"},
                              headers=sup)).status_code == 409


async def test_a_refund_request_retried_with_its_key_is_one_refund(
        client, feed, cashier, drawer, pump, bound):
    a, _ = await overpaid(client, feed, drawer, cashier, pump, "30.00")
    body = {"account_number": a.number, "amount": "30.00", "reason": "Overpaid"}
    first = await client.post(URL, json=body, headers=key(cashier, "rf-12"))
    again = await client.post(URL, json=body, headers=key(cashier, "rf-12"))
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = await client.post(URL, json={**body, "amount": "10.00"},
                              headers=key(cashier, "rf-12"))
    assert other.status_code == 422
    assert (await client.post(URL, json=body, headers=cashier)).status_code == 422  # no key
    assert await count(bound, "refunds") == 1


async def test_an_export_waits_for_the_payees_mailing_address_in_the_copy(
        client, feed, cashier, drawer, pump, bound, sup):
    a = await make_account(feed)  # accounts' event as an older copy kept it: no address
    await take_cash(client, drawer, cashier, a, "20.00", "pay-noaddr")
    await pump("payments", "billing")
    await pump("billing", "payments")
    ref = (await client.post(URL, json={"account_number": a.number, "amount": "20.00",
                                        "reason": "Overpaid"}, headers=key(cashier, "rf-13"))
           ).json()
    await client.post(f"{URL}/{ref['id']}/approve", headers=sup)
    r = await client.post(EXPORT, headers=key(sup, "ex-6"))
    assert r.status_code == 409
    assert r.json()["refunds"] == [{"refund_id": ref["id"], "account_id": a.id,
                                    "reason": "no_mailing_address"}]
    assert await outbox(bound, "payments.RefundIssued") == []
    await feed.send("accounts.AccountChanged", f"account:{a.id}", {"account": {
        "id": a.id, "number": a.number, "customer_id": a.customer_id, "status": "active",
        "mailing_address": ADDRESS}})
    await feed.drain()
    ok = await client.post(EXPORT, headers=key(sup, "ex-7"))
    assert ok.status_code == 201, ok.text
    row = next(csv.DictReader(io.StringIO(
        (await client.get(f"{EXPORT}/{ok.json()['id']}/csv", headers=sup)).text)))
    assert (row["payee_name"], row["address_line1"]) == (a.name, ADDRESS["line1"])


async def test_a_transfer_out_of_the_credit_counts_before_billing_has_announced_it(
        client, feed, cashier, cashier2, drawer, pump, bound, sup):
    a, p = await overpaid(client, feed, drawer, cashier, pump, "100.00")
    other = await make_account(feed)
    t = await client.post("/api/payments/transfers", json={
        "payment_id": p["id"], "to_account_number": other.number, "amount": "40.00",
        "reason": "Part was for the neighbour"}, headers=key(cashier2, "tr-r3"))
    assert t.json()["status"] == "transferred"
    # the relay has not carried the transfer to billing yet: the copy still shows -100.00
    body = {"account_number": a.number, "amount": "100.00", "reason": "Overpaid"}
    r = await client.post(URL, json=body, headers=key(cashier, "rf-14"))
    assert (r.status_code, r.json()["credit"]) == (422, "60.00")
    await pump("payments", "billing")
    await pump("billing", "payments")  # now it is in billing's balance, counted once
    r = await client.post(URL, json={**body, "amount": "60.00"}, headers=key(cashier, "rf-15"))
    assert r.status_code == 201, r.text
    r = await client.post(URL, json={**body, "amount": "0.01"}, headers=key(cashier, "rf-16"))
    assert (r.status_code, r.json()["credit"]) == (422, "0.00")
