"""What holds the ladder besides an appeal: an arrangement being kept cures it (and a broken one
lets it resume where it was), an open promise to pay holds every step until its date."""

from __future__ import annotations

import uuid

import pytest

from tests.collections.ladder_helpers import billed, days_after, events, run_day, steps

DUE = "2026-03-02"


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def test_an_arrangement_cures_the_ladder_and_its_steps_stand_still(client, feed, bound,
                                                                         admin, csr):
    a, _ = await billed(feed, "300.00", DUE)
    for n in (5, 20):
        await run_day(client, admin, days_after(DUE, n))
    r = await client.post(f"/api/collections/accounts/{a.id}/arrangements",
                          json={"kind": "amortised", "months": 3},
                          params={"today": str(days_after(DUE, 22))},
                          headers={**csr, "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    out = await run_day(client, admin, days_after(DUE, 23))
    assert out["cured_accounts"] == 1
    assert await events(bound, "collections.DelinquencyCured", a.id) == [
        {"account_id": a.id, "cured_on": str(days_after(DUE, 23))}]
    for n in (35, 50):
        await run_day(client, admin, days_after(DUE, n))
    assert [(s[0], s[2]) for s in await steps(bound, a.id)] == [
        ("reminder", "cured"), ("first_notice", "cured")]
    ladder = await client.get(f"/api/collections/accounts/{a.id}/ladder",
                              params={"today": str(days_after(DUE, 50))}, headers=csr)
    assert ladder.json()["holds"]["arrangement"] is True


async def test_an_open_promise_holds_the_ladder_until_its_date(client, feed, bound, admin, csr):
    a, _ = await billed(feed, "100.00", DUE)
    await run_day(client, admin, days_after(DUE, 5))
    promised_on = days_after(DUE, 30)
    r = await client.post(f"/api/collections/accounts/{a.id}/calls",
                          json={"outcome": "promise_made", "promise": {
                              "promised_on": str(promised_on), "amount": "100.00"}},
                          params={"today": str(days_after(DUE, 10))},
                          headers={**csr, "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    await run_day(client, admin, days_after(DUE, 20))  # the first notice is due, but held
    assert [(s[0], s[2]) for s in await steps(bound, a.id)] == [("reminder", "held")]
    await run_day(client, admin, days_after(DUE, 30))  # still the promised day
    assert [s[0] for s in await steps(bound, a.id)] == ["reminder"]
    await run_day(client, admin, days_after(DUE, 31))  # broken: the ladder goes on
    assert [(s[0], s[2]) for s in await steps(bound, a.id)] == [
        ("reminder", "taken"), ("first_notice", "taken")]
