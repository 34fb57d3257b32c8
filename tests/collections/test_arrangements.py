"""Payment arrangements on the real database: made for the past-due amount, kept and completed
by the payments billing announces, broken 60 days after an unpaid instalment (then the final
notice 5 business days ahead), cancelled with a reason; a letter and an event for each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.collections.arrange_helpers import bill, daily, events, key, notices, owing, pay
from tests.collections.helpers import make_account


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def _make(client, h, account_id, body, today, k=None):
    return await client.post(f"/api/collections/accounts/{account_id}/arrangements",
                             json=body, params={"today": today},
                             headers={**h, "Idempotency-Key": k or key()})


async def _get(client, h, arrangement_id, today):
    r = await client.get(f"/api/collections/arrangements/{arrangement_id}",
                         params={"today": today}, headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_12_month_arrangement_of_1000_has_instalments_that_sum_to_the_cent(
        client, feed, bound, csr):
    a = await owing(feed, "1000.00", "2026-01-20")
    r = await _make(client, csr, a.id, {"kind": "amortised"}, "2026-02-02")
    assert r.status_code == 201, r.text
    got = r.json()
    xs = got["instalments"]
    assert (got["total"], got["status"], len(xs)) == ("1000.00", "active", 12)
    assert sum(Decimal(x["amount"]) for x in xs) == Decimal("1000.00")
    assert [x["amount"] for x in xs] == ["83.34"] * 4 + ["83.33"] * 8
    assert [x["due_on"] for x in xs[:3]] == ["2026-03-02", "2026-04-02", "2026-05-02"]
    assert xs[-1]["due_on"] == "2027-02-02"
    # announced with its schedule, and the confirmation letter is queued naming the first date
    ev = await events(bound, "collections.ArrangementChanged", a.id)
    assert [(e["status"], e["kind"], e["total"], len(e["instalments"])) for e in ev] == [
        ("active", "amortised", "1000.00", 12)]
    assert ev[0]["instalments"][0] == {"due_on": "2026-03-02", "amount": "83.34", "paid": "0.00"}
    letters = await notices(bound, a.id)
    assert [(n[0], n[3], n[4]) for n in letters] == [
        ("arrangement_confirmed", Decimal("1000.00"), date(2026, 3, 2))]
    details, nid = (await bound["collections"].execute(text(
        "SELECT details, id FROM notices WHERE account_id = :a"), {"a": a.id})).one()
    assert [tuple(d) for d in details][:2] == [("instalment", "2026-03-02: $83.34"),
                                              ("instalment", "2026-04-02: $83.34")]
    assert len(details) == 12
    r = await client.get(f"/api/collections/notices/{nid}.pdf", headers=csr)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


async def test_more_months_than_the_policy_allows_is_refused(client, feed, csr):
    a = await owing(feed, "1000.00", "2026-01-20")
    r = await _make(client, csr, a.id, {"kind": "amortised", "months": 13}, "2026-02-02")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "months"


async def test_an_arrangement_ends_within_the_policys_months(client, feed, csr):
    a = await owing(feed, "1000.00", "2026-01-20")
    r = await _make(client, csr, a.id, {"kind": "amortised", "first_due_on": "2026-04-01"},
                    "2026-02-02")  # 12 instalments from April would end in March 2027
    assert r.status_code == 422 and "2027-02-02" in r.text
    r = await _make(client, csr, a.id, {"kind": "amortised", "months": 10,
                                        "first_due_on": "2026-04-01"}, "2026-02-02")
    assert r.status_code == 201, r.text


async def test_an_unknown_account_has_no_arrangement(client, csr):
    r = await _make(client, csr, "6f1c4a36-0000-4000-8000-000000000001", {"kind": "amortised"},
                    "2026-02-02")
    assert r.status_code == 404


async def test_an_alternative_schedule_must_sum_to_the_total(client, feed, csr):
    a = await owing(feed, "500.00", "2026-01-20")
    bad = {"kind": "alternative", "instalments": [
        {"due_on": "2026-02-15", "amount": "200.00"}, {"due_on": "2026-03-15", "amount": "250.00"}]}
    r = await _make(client, csr, a.id, bad, "2026-02-02")
    assert r.status_code == 422 and "sum to 450.00" in r.text
    good = {"kind": "alternative", "instalments": [
        {"due_on": "2026-02-15", "amount": "200.00"}, {"due_on": "2026-03-15", "amount": "300.00"}]}
    r = await _make(client, csr, a.id, good, "2026-02-02")
    assert r.status_code == 201, r.text
    assert [(x["due_on"], x["amount"]) for x in r.json()["instalments"]] == [
        ("2026-02-15", "200.00"), ("2026-03-15", "300.00")]


async def test_a_deferral_is_the_whole_amount_on_one_later_day(client, feed, csr):
    a = await owing(feed, "240.00", "2026-01-20")
    r = await _make(client, csr, a.id, {"kind": "deferral", "defer_to": "2026-03-20"},
                    "2026-02-02")
    assert r.status_code == 201, r.text
    assert [(x["due_on"], x["amount"]) for x in r.json()["instalments"]] == [
        ("2026-03-20", "240.00")]
    assert (await _make(client, csr, a.id, {"kind": "deferral", "defer_to": "2026-03-20"},
                        "2026-02-02")).status_code == 409  # one active arrangement at a time
    b = await owing(feed, "240.00", "2026-01-20")
    r = await _make(client, csr, b.id, {"kind": "deferral", "defer_to": "2026-03-20",
                                        "months": 3}, "2026-02-02")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "months"


async def test_a_retry_with_the_same_key_makes_one_arrangement(client, feed, bound, csr):
    a = await owing(feed, "300.00", "2026-01-20")
    body = {"kind": "amortised", "months": 3}
    r1 = await _make(client, csr, a.id, body, "2026-02-02", k="same-key")
    r2 = await _make(client, csr, a.id, body, "2026-02-02", k="same-key")
    assert r1.status_code == 201 and r2.status_code == 201
    assert r1.json()["id"] == r2.json()["id"]
    n = (await bound["collections"].execute(text(
        "SELECT count(*) FROM arrangements WHERE account_id = :a"), {"a": a.id})).scalar_one()
    assert n == 1


async def test_nothing_past_due_and_no_amount_is_refused(client, feed, csr):
    a = await owing(feed, "80.00", "2026-03-01")  # not yet due
    r = await _make(client, csr, a.id, {"kind": "amortised"}, "2026-02-02")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "total"
    r = await _make(client, csr, a.id, {"kind": "amortised", "total": "90.00"}, "2026-02-02")
    assert r.status_code == 422  # more than the account owes


async def test_payments_keep_an_arrangement_current_and_complete_it(
        client, feed, bound, csr, admin):
    a = await owing(feed, "300.00", "2026-01-20")
    r = await _make(client, csr, a.id, {"kind": "amortised", "months": 3,
                                        "first_due_on": "2026-03-01"}, "2026-02-01")
    arr = r.json()["id"]
    # the current bill stays due as usual: 50.00 billed after the arrangement, due 03-10
    await bill(feed, a, "50.00", "2026-03-10", bill_date="2026-02-15")
    await pay(feed, a, "100.00", "2026-02-27")
    await pay(feed, a, "150.00", "2026-03-31")  # the new bill and the second instalment
    got = await _get(client, csr, arr, "2026-04-01")
    assert [x["paid"] for x in got["instalments"]] == ["100.00", "100.00", "0.00"]
    assert (got["status"], got["paid"], got["left"]) == ("active", "200.00", "100.00")
    # the daily job well past every due date so far breaks nothing: it is being kept
    assert (await daily(client, admin, "2026-05-29"))["arrangements_broken"] == 0
    await pay(feed, a, "100.00", "2026-05-30")  # the last instalment completes it at once
    got = await _get(client, csr, arr, "2026-05-30")
    assert (got["status"], got["completed_on"], got["left"]) == ("completed", "2026-05-30",
                                                                 "0.00")
    ev = await events(bound, "collections.ArrangementChanged", a.id)
    assert [e["status"] for e in ev] == ["active", "completed"]
    assert [x["paid"] for x in ev[-1]["instalments"]] == ["100.00", "100.00", "100.00"]
    assert [n[0] for n in await notices(bound, a.id)] == [
        "arrangement_confirmed", "arrangement_completed"]
    r = await client.get(f"/api/collections/accounts/{a.id}/arrangements/standing",
                         params={"today": "2026-06-01"}, headers=csr)
    assert r.json()["status"] == "completed"


async def test_paying_the_instalment_but_not_the_new_bill_falls_behind(client, feed, csr):
    a = await owing(feed, "300.00", "2026-01-20")
    arr = (await _make(client, csr, a.id, {"kind": "amortised", "months": 3,
                                           "first_due_on": "2026-03-01"}, "2026-02-01")).json()
    await bill(feed, a, "50.00", "2026-03-10", bill_date="2026-02-15")
    await pay(feed, a, "100.00", "2026-02-27")
    before = await _get(client, csr, arr["id"], "2026-03-09")
    after = await _get(client, csr, arr["id"], "2026-03-10")
    assert before["instalments"][0]["paid"] == "100.00"
    assert after["instalments"][0]["paid"] == "50.00"  # the new bill came due and took 50.00


async def test_an_instalment_60_days_unpaid_breaks_it_and_queues_the_final_notice_5_business_days_ahead(  # noqa: E501
        client, feed, bound, csr, admin):
    a = await owing(feed, "300.00", "2026-01-20")
    arr = (await _make(client, csr, a.id, {"kind": "amortised", "months": 3,
                                           "first_due_on": "2026-03-01"}, "2026-02-01")).json()
    await pay(feed, a, "60.00", "2026-03-01")  # short of the first instalment
    assert (await daily(client, admin, "2026-04-29"))["arrangements_broken"] == 0  # 59 days
    got = await daily(client, admin, "2026-04-30")  # 60 days after 03-01 (a Thursday)
    assert (got["arrangements_broken"], got["final_notices"]) == (1, 1)
    r = await _get(client, csr, arr["id"], "2026-04-30")
    assert (r["status"], r["broken_on"]) == ("broken", "2026-04-30")
    letters = {(n[0], n[1]): n for n in await notices(bound, a.id)}
    final = letters[("final_notice", "customer")]
    # 5 business days after Thursday 2026-04-30: Fri 1, Mon 4, Tue 5, Wed 6, Thu 7 May
    assert (final[3], final[4]) == (Decimal("240.00"), date(2026, 5, 7))
    assert letters[("arrangement_broken", "customer")][4] == date(2026, 5, 7)
    ev = await events(bound, "collections.ArrangementChanged", a.id)
    assert [e["status"] for e in ev] == ["active", "broken"]
    assert ev[-1]["instalments"][0]["paid"] == "60.00"
    # twice on one day does nothing new
    again = await daily(client, admin, "2026-04-30")
    assert again["arrangements_broken"] == 0
    assert len(await events(bound, "collections.ArrangementChanged", a.id)) == 2
    r = await client.get(f"/api/collections/accounts/{a.id}/arrangements/standing",
                         params={"today": "2026-05-01"}, headers=csr)
    assert r.json() == {"status": "broken", "arrangement_id": arr["id"],
                        "broken_on": "2026-04-30", "final_notice_on": None}


async def test_cancel_with_a_reason(client, feed, bound, csr):
    a = await owing(feed, "300.00", "2026-01-20")
    arr = (await _make(client, csr, a.id, {"kind": "amortised", "months": 3},
                       "2026-02-01")).json()
    r = await client.post(f"/api/collections/arrangements/{arr['id']}/cancel",
                          json={"reason": ""}, params={"today": "2026-02-03"}, headers=csr)
    assert r.status_code == 422
    r = await client.post(f"/api/collections/arrangements/{arr['id']}/cancel",
                          json={"reason": "customer moved to budget billing"},
                          params={"today": "2026-02-03"}, headers=csr)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["cancel_reason"]) == (
        "cancelled", "customer moved to budget billing")
    r = await client.post(f"/api/collections/arrangements/{arr['id']}/cancel",
                          json={"reason": "again"}, params={"today": "2026-02-03"},
                          headers=csr)
    assert r.status_code == 409
    who = (await bound["collections"].execute(text(
        "SELECT actor, reason FROM audit_log WHERE entity = 'arrangement' AND action = 'cancel' "
        "AND entity_id = :i"), {"i": arr["id"]})).one()
    assert tuple(who) == ("carmen", "customer moved to budget billing")
    r = await client.get(f"/api/collections/accounts/{a.id}/arrangements/standing",
                         params={"today": "2026-02-03"}, headers=csr)
    assert r.json()["status"] == "none"


async def test_a_customer_cannot_make_or_see_arrangements(client, feed, auth):
    a = await owing(feed, "300.00", "2026-01-20")
    cust = auth("customer", "c1", (a.id,))
    r = await _make(client, cust, a.id, {"kind": "amortised"}, "2026-02-01")
    assert r.status_code == 403


async def test_the_final_notice_once_released_is_the_day_standing_counts_from(
        client, feed, bound, csr, sup, admin):
    a = await owing(feed, "300.00", "2026-01-20")
    arr = (await _make(client, csr, a.id, {"kind": "deferral", "defer_to": "2026-03-02"},
                       "2026-02-01")).json()
    assert (await daily(client, admin, "2026-05-01"))["arrangements_broken"] == 1  # 60 days
    r = await client.post("/api/collections/notices/batches", json={"today": "2026-05-01"},
                          headers=csr)
    assert r.status_code == 201, r.text
    batch = r.json()["id"]
    r = await client.post(f"/api/collections/notices/batches/{batch}/approve", headers=sup)
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/collections/notices/batches/{batch}/release",
                          json={"today": "2026-05-04"}, headers=sup)
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/collections/accounts/{a.id}/arrangements/standing",
                         params={"today": "2026-05-05"}, headers=csr)
    assert r.json() == {"status": "broken", "arrangement_id": arr["id"],
                        "broken_on": "2026-05-01", "final_notice_on": "2026-05-04"}


async def test_a_rebill_of_the_arranged_bill_is_not_a_payment(client, feed, bound, csr, admin):
    from tests.collections.helpers import bill_issued
    a = await make_account(feed)
    old = bill_issued(a, "300.00", "300.00", due="2026-01-20", bill_date="2026-01-01")
    await feed.send("billing.BillIssued", f"account:{a.id}", old)
    await feed.drain()
    arr = (await _make(client, csr, a.id, {"kind": "deferral", "defer_to": "2026-03-02"},
                       "2026-02-01")).json()
    await feed.send("billing.BillCancelled", f"account:{a.id}", {
        "bill_id": old["bill"]["id"], "account_id": a.id, "reason": "rebill",
        "cancelled_on": "2026-02-10", "replaced_by": None})
    await feed.send("billing.BillIssued", f"account:{a.id}", bill_issued(
        a, "280.00", "280.00", due="2026-01-20", bill_date="2026-02-10",
        replaces=old["bill"]["id"]))
    await feed.drain()
    got = await _get(client, csr, arr["id"], "2026-02-11")
    assert (got["status"], got["paid"]) == ("active", "20.00")
    assert (await daily(client, admin, "2026-02-11"))["arrangements_completed"] == 0


async def test_the_arrangements_falling_behind_are_listed_first(client, feed, csr):
    kept = await owing(feed, "300.00", "2026-01-20")
    short = await owing(feed, "300.00", "2026-01-20")
    ids = {}
    for a in (kept, short):
        r = await _make(client, csr, a.id, {"kind": "amortised", "months": 3,
                                            "first_due_on": "2026-03-01"}, "2026-02-01")
        ids[a.id] = r.json()["id"]
    await pay(feed, kept, "100.00", "2026-02-27")
    await pay(feed, short, "30.00", "2026-02-27")
    r = await client.get("/api/collections/arrangements",
                         params={"today": "2026-03-11", "behind": "true", "limit": 500},
                         headers=csr)
    assert r.status_code == 200, r.text
    mine = [i for i in r.json()["items"] if i["id"] in ids.values()]
    assert [(i["id"], i["paid"], i["behind"], i["behind_since"], i["days_behind"])
            for i in mine] == [(ids[short.id], "30.00", "70.00", "2026-03-01", 10)]
    r = await client.get("/api/collections/arrangements",
                         params={"today": "2026-03-11", "limit": 500}, headers=csr)
    mine = [i["id"] for i in r.json()["items"] if i["id"] in ids.values()]
    assert mine == [ids[short.id], ids[kept.id]]
