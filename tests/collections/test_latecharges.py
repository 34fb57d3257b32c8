"""Late charges: assessed by the policy's formula at the second notice, once per bill and step
however often the step is seen, posted by billing once; reversed within the requester's dollar
authority at once, above it by an approver who is not the requester."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from services.collections.ladder.domain import notice_id
from tests.collections.helpers import bill_issued
from tests.collections.ladder_helpers import billed, days_after, events, pay, run_day

DUE = "2026-03-02"


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def _to_second_notice(client, feed, admin, total: str):
    a, bill = await billed(feed, total, DUE)
    for n in (5, 20, 35):
        await run_day(client, admin, days_after(DUE, n))
    return a, bill


async def _billing_late_entries(bound, account_id: str) -> list[tuple[Decimal, str, object]]:
    rows = (await bound["billing"].execute(text(
        "SELECT amount, reference, corrects FROM ledger_entries WHERE account_id = :a "
        "AND kind = 'late_charge' ORDER BY seq"), {"a": account_id})).all()
    return [tuple(r) for r in rows]


async def test_a_second_past_due_notice_adds_the_late_charge_once(client, feed, bound, admin,
                                                                  pump):
    a, bill = await _to_second_notice(client, feed, admin, "100.00")
    for n in (36, 50, 51):  # later days, and the second notice seen again
        await run_day(client, admin, days_after(DUE, n))
    assessed = await events(bound, "collections.LateChargeAssessed", a.id)
    nid = str(notice_id(uuid.UUID(bill), "second_notice"))
    # 1.5 % of 100.00 is 1.50, below the policy's minimum of 5.00
    assert assessed == [{"account_id": a.id, "amount": "5.00",
                         "assessed_on": str(days_after(DUE, 35)), "notice_id": nid,
                         "waived_interest": "0.00"}]
    await pump("collections", "billing")
    await pump("collections", "billing")  # a redelivery changes nothing
    assert await _billing_late_entries(bound, a.id) == [(Decimal("5.00"), f"late:{nid}", None)]


async def test_the_late_charge_is_the_policys_percentage_of_the_past_due_bill(client, feed,
                                                                              bound, admin):
    a2, _ = await billed(feed, "9000.00", DUE)  # 135.00, capped at 50.00
    a, _ = await _to_second_notice(client, feed, admin, "2000.00")
    assert [e["amount"] for e in await events(
        bound, "collections.LateChargeAssessed", a.id)] == ["30.00"]
    assert [e["amount"] for e in await events(
        bound, "collections.LateChargeAssessed", a2.id)] == ["50.00"]


async def _bill(feed, a, total: str, due: str) -> None:
    b = bill_issued(a, total, total, due=due,
                    bill_date=str(date.fromisoformat(due) - timedelta(days=20)))
    await feed.send("billing.BillIssued", f"account:{a.id}", b)
    await feed.drain()


async def _low_income(client, csr, account_id: str, on: str = "2026-01-01") -> None:
    r = await client.post(f"/api/collections/accounts/{account_id}/protections", json={
        "low_income": {"basis": "CalFresh", "on": on}, "today": "2026-03-02"}, headers=csr)
    assert r.status_code == 200, r.text


async def test_a_low_income_household_has_the_interest_waived_once_in_twelve_months(
        client, feed, bound, admin, auth, pump):
    csr = auth("csr2", "cora")
    poor, _ = await billed(feed, "2000.00", DUE)
    other, _ = await billed(feed, "2000.00", DUE)
    await _low_income(client, csr, poor.id)
    for n in (5, 20, 35):
        await run_day(client, admin, days_after(DUE, n))
    # 1.5 % of 2,000.00 is 30.00: 25.00 of it interest above the 5.00 minimum, which is a fee
    [waived] = await events(bound, "collections.LateChargeAssessed", poor.id)
    assert (waived["amount"], waived["waived_interest"]) == ("5.00", "25.00")
    [full] = await events(bound, "collections.LateChargeAssessed", other.id)
    assert (full["amount"], full["waived_interest"]) == ("30.00", "0.00")
    await pump("collections", "billing")
    assert await _billing_late_entries(bound, poor.id) == [
        (Decimal("5.00"), f"late:{waived['notice_id']}", None)]

    # paid; a bill due four months later: the waiver is used, the interest is charged
    await pay(feed, poor, "2005.00", "2026-04-10")
    a2_due = "2026-07-01"
    await _bill(feed, poor, "2000.00", a2_due)
    for n in (5, 20, 35):
        await run_day(client, admin, days_after(a2_due, n))
    amounts = [(e["amount"], e["waived_interest"]) for e in await events(
        bound, "collections.LateChargeAssessed", poor.id)]
    assert ("30.00", "0.00") in amounts and len(amounts) == 2

    # thirteen months after the waiver it is waived again
    await pay(feed, poor, "2030.00", "2026-08-20")
    a3_due = "2027-03-15"
    await _bill(feed, poor, "2000.00", a3_due)
    for n in (5, 20, 35):
        await run_day(client, admin, days_after(a3_due, n))
    amounts = [(e["amount"], e["waived_interest"]) for e in await events(
        bound, "collections.LateChargeAssessed", poor.id)]
    assert amounts.count(("5.00", "25.00")) == 2, amounts


async def test_no_late_charge_at_the_reminder_or_the_first_notice(client, feed, bound, admin):
    a, _ = await billed(feed, "100.00", DUE)
    for n in (5, 20):
        await run_day(client, admin, days_after(DUE, n))
    assert await events(bound, "collections.LateChargeAssessed", a.id) == []


async def test_a_reversal_within_the_clerks_authority_is_made_at_once_and_billing_corrects(
        client, feed, bound, admin, auth, pump):
    a, bill = await _to_second_notice(client, feed, admin, "100.00")
    nid = str(notice_id(uuid.UUID(bill), "second_notice"))
    clerk = auth("csr1", "carl")
    r = await client.post(f"/api/collections/late-charges/{nid}/reversals", headers={
        **clerk, "Idempotency-Key": "rev-1"}, json={"reason": "first time late, waived",
                                                    "on": str(days_after(DUE, 40))})
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["decided_by"]) == ("reversed", "carl")
    again = await client.post(f"/api/collections/late-charges/{nid}/reversals", headers={
        **clerk, "Idempotency-Key": "rev-1"}, json={"reason": "first time late, waived",
                                                    "on": str(days_after(DUE, 40))})
    assert again.json()["id"] == r.json()["id"]  # the retry answers the first
    second = await client.post(f"/api/collections/late-charges/{nid}/reversals",
                               headers=clerk, json={"reason": "once more"})
    assert second.status_code == 409
    reversed_ = await events(bound, "collections.LateChargeReversed", a.id)
    assert reversed_ == [{"account_id": a.id, "amount": "5.00",
                          "reversed_on": str(days_after(DUE, 40)), "notice_id": nid,
                          "reason": "first time late, waived", "requested_by": "carl",
                          "approved_by": "carl"}]
    await pump("collections", "billing")
    await pump("collections", "billing")
    entries = await _billing_late_entries(bound, a.id)
    assert [(e[0], e[1]) for e in entries] == [(Decimal("5.00"), f"late:{nid}"),
                                               (Decimal("-5.00"), f"late-reversal:{nid}")]
    charge_id = (await bound["billing"].execute(text(
        "SELECT id FROM ledger_entries WHERE reference = :r"), {"r": f"late:{nid}"})).scalar()
    assert entries[1][2] == charge_id


async def test_a_reversal_above_the_clerks_authority_waits_for_a_supervisor_not_the_requester(
        client, feed, bound, admin, auth):
    a, bill = await _to_second_notice(client, feed, admin, "2000.00")  # a 30.00 charge
    nid = str(notice_id(uuid.UUID(bill), "second_notice"))
    clerk = auth("csr1", "carl")  # authority 25.00
    r = await client.post(f"/api/collections/late-charges/{nid}/reversals", headers=clerk,
                          json={"reason": "billing error on our side"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    rid = r.json()["id"]
    assert await events(bound, "collections.LateChargeReversed", a.id) == []
    own = await client.post(f"/api/collections/late-charges/reversals/{rid}/approve",
                            headers=auth("csr1", "carl"))
    assert own.status_code == 403
    other_clerk = await client.post(f"/api/collections/late-charges/reversals/{rid}/approve",
                                    headers=auth("csr1", "cora"))
    assert other_clerk.status_code == 403 and "authority" in other_clerk.json()["detail"]
    pending = await client.get("/api/collections/late-charges/reversals",
                               params={"status": "pending"}, headers=auth("supervisor", "sam"))
    assert [p["id"] for p in pending.json()] == [rid]
    ok = await client.post(f"/api/collections/late-charges/reversals/{rid}/approve",
                           headers=auth("supervisor", "sam"))
    assert ok.status_code == 200, ok.text
    assert (ok.json()["status"], ok.json()["decided_by"]) == ("reversed", "sam")
    ev = await events(bound, "collections.LateChargeReversed", a.id)
    assert [(e["requested_by"], e["approved_by"], e["amount"]) for e in ev] == [
        ("carl", "sam", "30.00")]
    audit = (await bound["collections"].execute(text(
        "SELECT actor, approver, action FROM audit_log WHERE entity_id = :n ORDER BY id"),
        {"n": nid})).all()
    assert [tuple(x) for x in audit] == [("carl", None, "request_reversal"),
                                         ("sam", "sam", "approve_reversal")]


async def test_a_reversal_cannot_take_back_more_than_the_charge(client, feed, admin, auth):
    _, bill = await _to_second_notice(client, feed, admin, "100.00")
    nid = str(notice_id(uuid.UUID(bill), "second_notice"))
    r = await client.post(f"/api/collections/late-charges/{nid}/reversals",
                          headers=auth("supervisor", "sam"),
                          json={"reason": "too much", "amount": "5.01"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount"
    missing = await client.post(f"/api/collections/late-charges/{uuid.uuid4()}/reversals",
                                headers=auth("supervisor", "sam"), json={"reason": "none"})
    assert missing.status_code == 404
