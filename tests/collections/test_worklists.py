"""The CSR II call list on the real database: each past-due account once, with its phones,
cycle, last call and open promise; calls recorded with who made them; promises kept by the
payments that arrive by their date, broken after it."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.collections.arrange_helpers import daily, events, key, owing, pay
from tests.collections.helpers import make_account


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def _call(client, h, account_id, body, today, k=None):
    return await client.post(f"/api/collections/accounts/{account_id}/calls", json=body,
                             params={"today": today},
                             headers={**h, "Idempotency-Key": k or key()})


async def _list(client, h, today, **params):
    r = await client.get("/api/collections/worklists/calls",
                         params={"today": today, "limit": 500, **params}, headers=h)
    assert r.status_code == 200, r.text
    return r.json()


def _mine(listing, *accts):
    ids = {a.id for a in accts}
    return {i["account_id"]: i for i in listing["items"] if i["account_id"] in ids}


async def test_the_call_list_shows_each_past_due_account_once_with_its_last_outcome(
        client, feed, csr, auth):
    late = await owing(feed, "120.00", "2026-01-10")
    later = await owing(feed, "80.00", "2026-01-25")
    current = await owing(feed, "60.00", "2026-02-20")  # not yet due
    paid = await owing(feed, "70.00", "2026-01-10")
    await pay(feed, paid, "70.00", "2026-01-30")
    assert (await _call(client, csr, late.id, {"outcome": "no_answer"},
                        "2026-02-01")).status_code == 201
    other = auth("csr2", "chris")
    r = await _call(client, other, late.id, {"outcome": "left_message", "note": "voicemail",
                                             "phone": "+15305550100"}, "2026-02-02")
    assert r.status_code == 201, r.text
    # a second premise served on the same account does not list it twice
    await feed.send("accounts.ServiceStarted", f"account:{late.id}", {"service_agreement": {
        "id": str(uuid.uuid4()), "account_id": late.id, "premise_id": str(uuid.uuid4()),
        "service": "irrigation", "rate_class": "RES", "meter_id": None,
        "start_date": "2025-06-01", "stop_date": None, "status": "active"}})
    await feed.drain()
    listing = await _list(client, csr, "2026-02-03")
    assert [i["account_id"] for i in listing["items"]].count(late.id) == 1
    assert _mine(listing, late)[late.id]["cycle"] == "C1"  # the premise whose cycle is known
    got = _mine(listing, late, later, current, paid)
    assert set(got) == {late.id, later.id}
    assert (got[late.id]["past_due"], got[late.id]["days_past_due"]) == ("120.00", 24)
    assert (got[late.id]["last_outcome"], got[late.id]["last_called_by"]) == (
        "left_message", "chris")
    assert got[late.id]["phones"] == ["+15305550100"]
    assert (got[later.id]["last_outcome"], got[later.id]["cycle"]) == (None, "C1")
    # ordered most days past due first
    order = [i["account_id"] for i in (await _list(client, csr, "2026-02-03"))["items"]]
    assert order.index(late.id) < order.index(later.id)


async def test_the_call_list_filters_by_days_amount_and_cycle_and_pages(client, feed, csr):
    a = await owing(feed, "120.00", "2026-01-10")
    b = await owing(feed, "80.00", "2026-01-25")
    c = await make_account(feed)
    await feed.send("accounts.PremiseChanged", f"premise:{c.premise_id}", {"premise": {
        "id": c.premise_id, "address": {"line1": "1 Elm"}, "kind": "single_family",
        "dwelling_units": 1, "cycle": "C7", "route": "R1", "apn": None,
        "owner_account_id": None}})
    await feed.drain()
    from tests.collections.arrange_helpers import bill
    await bill(feed, c, "300.00", "2026-01-20")
    today = "2026-02-03"
    assert set(_mine(await _list(client, csr, today, min_days=20), a, b, c)) == {a.id}
    assert set(_mine(await _list(client, csr, today, max_days=15), a, b, c)) == {b.id, c.id}
    assert set(_mine(await _list(client, csr, today, min_amount="100.00"), a, b, c)) == {
        a.id, c.id}
    assert set(_mine(await _list(client, csr, today, cycle="C7"), a, b, c)) == {c.id}
    whole = await _list(client, csr, today, cycle="C1")
    page = await _list(client, csr, today, cycle="C1", limit=1, offset=1)
    assert page["total"] == whole["total"] >= 2
    assert [i["account_id"] for i in page["items"]] == [whole["items"][1]["account_id"]]


async def test_a_promise_kept_by_its_date_closes_itself(client, feed, bound, csr):
    a = await owing(feed, "200.00", "2026-01-10")
    r = await _call(client, csr, a.id, {"outcome": "promise_made", "promise": {
        "promised_on": "2026-02-12", "amount": "150.00"}}, "2026-02-05")
    assert r.status_code == 201, r.text
    promise = r.json()["promise"]
    assert (promise["status"], promise["created_by"]) == ("open", "carmen")
    listed = _mine(await _list(client, csr, "2026-02-06"), a)[a.id]
    assert (listed["promise_id"], listed["promised_on"], listed["last_outcome"]) == (
        promise["id"], "2026-02-12", "promise_made")
    await pay(feed, a, "100.00", "2026-02-08")
    await pay(feed, a, "50.00", "2026-02-11")  # covered now: kept as the payment arrives
    r = await client.get(f"/api/collections/accounts/{a.id}/promises", headers=csr)
    assert [(p["status"], p["closed_on"]) for p in r.json()] == [("kept", "2026-02-11")]
    ev = await events(bound, "collections.PromiseChanged", a.id)
    assert [(e["status"], e["amount"]) for e in ev] == [("open", "150.00"), ("kept", "150.00")]


async def test_a_promise_not_covered_by_its_date_is_broken_the_day_after(
        client, feed, bound, csr, admin):
    a = await owing(feed, "200.00", "2026-01-10")
    await _call(client, csr, a.id, {"outcome": "promise_made", "promise": {
        "promised_on": "2026-02-12", "amount": "150.00"}}, "2026-02-05")
    await pay(feed, a, "100.00", "2026-02-10")
    await pay(feed, a, "50.00", "2026-02-13")  # a day late: does not keep it
    assert (await daily(client, admin, "2026-02-12"))["promises_broken"] == 0
    got = await daily(client, admin, "2026-02-13")
    assert (got["promises_broken"], got["promises_kept"]) == (1, 0)
    assert (await daily(client, admin, "2026-02-13"))["promises_broken"] == 0
    r = await client.get(f"/api/collections/accounts/{a.id}/promises", headers=csr)
    assert [p["status"] for p in r.json()] == ["broken"]
    assert [e["status"] for e in await events(bound, "collections.PromiseChanged", a.id)] == [
        "open", "broken"]


async def test_a_new_promise_replaces_the_open_one_and_a_promise_can_be_cancelled(
        client, feed, csr):
    a = await owing(feed, "200.00", "2026-01-10")
    first = (await _call(client, csr, a.id, {"outcome": "promise_made", "promise": {
        "promised_on": "2026-02-12", "amount": "50.00"}}, "2026-02-05")).json()["promise"]
    second = (await _call(client, csr, a.id, {"outcome": "promise_made", "promise": {
        "promised_on": "2026-02-20", "amount": "200.00"}}, "2026-02-06")).json()["promise"]
    r = await client.get(f"/api/collections/accounts/{a.id}/promises", headers=csr)
    assert {p["id"]: p["status"] for p in r.json()} == {first["id"]: "cancelled",
                                                        second["id"]: "open"}
    r = await client.post(f"/api/collections/promises/{second['id']}/cancel",
                          json={"reason": "customer will set up an arrangement"},
                          params={"today": "2026-02-07"}, headers=csr)
    assert (r.status_code, r.json()["status"]) == (200, "cancelled")


async def test_bad_calls_are_refused(client, feed, csr):
    a = await owing(feed, "200.00", "2026-01-10")
    r = await _call(client, csr, a.id, {"outcome": "promise_made"}, "2026-02-05")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "promise"
    r = await _call(client, csr, a.id, {"outcome": "reached", "promise": {
        "promised_on": "2026-02-12", "amount": "50.00"}}, "2026-02-05")
    assert r.status_code == 422
    r = await _call(client, csr, a.id, {"outcome": "promise_made", "promise": {
        "promised_on": "2026-04-12", "amount": "50.00"}}, "2026-02-05")
    assert r.status_code == 422 and "30 days" in r.text
    r = await _call(client, csr, a.id, {"outcome": "shouted"}, "2026-02-05")
    assert r.status_code == 422
    r = await client.post(f"/api/collections/accounts/{a.id}/calls",
                          json={"outcome": "reached"}, headers=csr)
    assert r.status_code == 422 and "Idempotency-Key" in r.text


async def test_a_retried_call_is_recorded_once_and_audited(client, feed, bound, csr):
    a = await owing(feed, "200.00", "2026-01-10")
    body = {"outcome": "promise_made", "promise": {"promised_on": "2026-02-12",
                                                   "amount": "50.00"}}
    r1 = await _call(client, csr, a.id, body, "2026-02-05", k="call-1")
    r2 = await _call(client, csr, a.id, body, "2026-02-05", k="call-1")
    assert r1.json()["id"] == r2.json()["id"]
    c = bound["collections"]
    assert (await c.execute(text("SELECT count(*) FROM call_outcomes WHERE account_id = :a"),
                            {"a": a.id})).scalar_one() == 1
    assert (await c.execute(text("SELECT count(*) FROM promises WHERE account_id = :a"),
                            {"a": a.id})).scalar_one() == 1
    actions = (await c.execute(text(
        "SELECT action, actor FROM audit_log WHERE entity IN ('account', 'promise') "
        "AND (entity_id = :a OR entity_id = :p) ORDER BY id"),
        {"a": a.id, "p": r1.json()["promise"]["id"]})).all()
    assert [tuple(x) for x in actions] == [("promise", "carmen"), ("call", "carmen")]
    assert Decimal(r1.json()["promise"]["amount"]) == Decimal("50.00")


async def test_a_field_technician_cannot_see_the_call_list(client, auth):
    r = await client.get("/api/collections/worklists/calls", headers=auth("field_tech", "f"))
    assert r.status_code == 403


async def test_an_account_keeping_an_arrangement_is_left_off_the_list_unless_asked(
        client, feed, csr):
    a = await owing(feed, "300.00", "2026-01-10")
    r = await client.post(f"/api/collections/accounts/{a.id}/arrangements",
                          json={"kind": "amortised", "months": 3},
                          params={"today": "2026-02-01"},
                          headers={**csr, "Idempotency-Key": key()})
    assert r.status_code == 201, r.text
    assert a.id not in _mine(await _list(client, csr, "2026-02-03"), a)
    shown = _mine(await _list(client, csr, "2026-02-03", include_arranged="true"), a)
    assert shown[a.id]["arrangement_id"] == r.json()["id"]


async def test_an_arrangement_takes_the_place_of_the_open_promise(client, feed, bound, csr):
    a = await owing(feed, "300.00", "2026-01-10")
    await _call(client, csr, a.id, {"outcome": "promise_made", "promise": {
        "promised_on": "2026-02-12", "amount": "50.00"}}, "2026-02-05")
    r = await client.post(f"/api/collections/accounts/{a.id}/arrangements",
                          json={"kind": "amortised", "months": 3},
                          params={"today": "2026-02-06"},
                          headers={**csr, "Idempotency-Key": key()})
    assert r.status_code == 201, r.text
    got = (await client.get(f"/api/collections/accounts/{a.id}/promises", headers=csr)).json()
    assert [(p["status"], p["cancel_reason"]) for p in got] == [
        ("cancelled", f"arrangement {r.json()['id']} made")]
    assert [e["status"] for e in await events(bound, "collections.PromiseChanged", a.id)] == [
        "open", "cancelled"]
