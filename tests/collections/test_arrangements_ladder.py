"""Arrangements and promises with the ladder, through the daily job: a promise to pay holds the
ladder until its date, an arrangement being kept stops it, and a broken one lets it go on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.collections.arrange_helpers import key
from tests.collections.ladder_helpers import billed, days_after, events, pay, run_day, steps

DUE = "2026-03-02"  # a Monday


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def test_a_promise_holds_the_ladder_until_its_date(client, feed, bound, csr, admin):
    a, _ = await billed(feed, "100.00", DUE)
    await run_day(client, admin, days_after(DUE, 5))  # the reminder
    r = await client.post(f"/api/collections/accounts/{a.id}/calls", json={
        "outcome": "promise_made", "promise": {"promised_on": str(days_after(DUE, 23)),
                                               "amount": "100.00"}},
        params={"today": str(days_after(DUE, 8))}, headers={**csr, "Idempotency-Key": key()})
    assert r.status_code == 201, r.text
    for n in (20, 21, 22, 23):  # the first notice is due on day 20: held through the promise's
        out = await run_day(client, admin, days_after(DUE, n))
        assert out["ladder"].get("first_notice", 0) == 0, n
    out = await run_day(client, admin, days_after(DUE, 24))  # the day after: broken, ladder on
    assert out["arrangements"]["promises_broken"] == 1
    got = [(s[0], s[1], s[2]) for s in await steps(bound, a.id)]
    assert got == [("reminder", days_after(DUE, 5), "taken"),
                   ("first_notice", days_after(DUE, 24), "taken")]


async def test_a_kept_promise_and_its_payment_end_the_delinquency(client, feed, bound, csr,
                                                                  admin):
    a, _ = await billed(feed, "100.00", DUE)
    await run_day(client, admin, days_after(DUE, 5))
    await client.post(f"/api/collections/accounts/{a.id}/calls", json={
        "outcome": "promise_made", "promise": {"promised_on": str(days_after(DUE, 23)),
                                               "amount": "100.00"}},
        params={"today": str(days_after(DUE, 8))}, headers={**csr, "Idempotency-Key": key()})
    await pay(feed, a, "-100.00", str(days_after(DUE, 21)))
    r = await client.get(f"/api/collections/accounts/{a.id}/promises", headers=csr)
    assert [p["status"] for p in r.json()] == ["kept"]
    await run_day(client, admin, days_after(DUE, 24))
    assert [(s[0], s[2]) for s in await steps(bound, a.id)] == [("reminder", "cured")]


async def test_an_arrangement_kept_stops_the_ladder_and_a_broken_one_lets_it_go_on(
        client, feed, bound, csr, admin):
    a, _ = await billed(feed, "300.00", DUE)
    await run_day(client, admin, days_after(DUE, 5))
    r = await client.post(f"/api/collections/accounts/{a.id}/arrangements",
                          json={"kind": "amortised", "months": 3},
                          params={"today": str(days_after(DUE, 10))},
                          headers={**csr, "Idempotency-Key": key()})
    assert r.status_code == 201, r.text
    first_due = r.json()["instalments"][0]["due_on"]  # a month after it was made
    for n in (20, 35, 50):
        out = await run_day(client, admin, days_after(DUE, n))
        assert not any(out["ladder"].get(s, 0) for s in ("first_notice", "second_notice",
                                                          "shutoff_notice")), n
    assert [s[0] for s in await steps(bound, a.id)] == ["reminder"]
    broken_on = days_after(first_due, 60)
    out = await run_day(client, admin, broken_on)
    assert out["arrangements"]["arrangements_broken"] == 1
    assert [e["status"] for e in await events(
        bound, "collections.ArrangementChanged", a.id)] == ["active", "broken"]
    await run_day(client, admin, days_after(first_due, 61))
    assert "first_notice" in [s[0] for s in await steps(bound, a.id)]


async def _release_notices(client, auth, sup, today) -> None:
    tech = auth("billing_tech", "bea")
    b = await client.post("/api/collections/notices/batches", json={"today": str(today)},
                          headers=tech)
    assert b.status_code == 201, b.text
    r = await client.post(f"/api/collections/notices/batches/{b.json()['id']}/approve",
                          headers=sup)
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/collections/notices/batches/{b.json()['id']}/release",
                          json={"today": str(today)}, headers=tech)
    assert r.status_code == 200, r.text


async def _disconnects(client, sup, account_id: str) -> list[dict]:
    r = await client.get(f"/api/collections/accounts/{account_id}/field-orders", headers=sup)
    assert r.status_code == 200, r.text
    return [o for o in r.json() if o["kind"] == "disconnect"]


async def test_a_broken_arrangement_is_disconnected_5_business_days_after_its_final_notice(
        client, feed, bound, csr, sup, admin, auth):
    """Its bills never reached a shut-off notice: the final notice posted at the premise is the
    notice SB 998 asks for, and the daily job orders the disconnect on the day it names."""
    a, _ = await billed(feed, "300.00", DUE)
    r = await client.post(f"/api/collections/accounts/{a.id}/arrangements",
                          json={"kind": "amortised", "months": 3},
                          params={"today": str(days_after(DUE, 10))},
                          headers={**csr, "Idempotency-Key": key()})
    first_due = r.json()["instalments"][0]["due_on"]
    broken_on = days_after(first_due, 60)
    out = await run_day(client, admin, broken_on)
    assert out["arrangements"]["arrangements_broken"] == 1
    await _release_notices(client, auth, sup, broken_on)
    [final] = [e for e in await events(bound, "collections.NoticeReleased", a.id)
               if e["kind"] == "final_notice"]
    named = date.fromisoformat(final["action_on"])
    assert (named - broken_on).days >= 7  # five business days, a weekend between
    await run_day(client, admin, named - timedelta(days=1))
    assert await _disconnects(client, sup, a.id) == []
    await run_day(client, admin, named)
    [cut] = await _disconnects(client, sup, a.id)
    assert (cut["status"], cut["scheduled_on"]) == ("released", str(named))
    await run_day(client, admin, named)  # the day again: still one order
    assert len(await _disconnects(client, sup, a.id)) == 1
