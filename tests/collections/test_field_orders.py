"""Collections' field orders on real PostgreSQL, with accounts carrying them out (events pumped
in-process): door tags approved by a supervisor before release, disconnects created by the daily
job only when SB 998 allows, completed only through collections on a day no rule forbids (never
in accounts), reconnects on cure with the reconnection fee posted once in billing's ledger."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from tests.collections.field_helpers import (
    outbox,
    released_notice,
    served,
    shutoff_step,
)
from tests.collections.helpers import entry_posted

DAY = date(2026, 3, 17)  # Tuesday, 75 days after the bill's due date


@pytest.fixture
def ft(auth):
    return auth("field_tech", "fiona")


@pytest.fixture
def admin(auth):
    return auth("admin", "ada")


async def daily(client, h, day):
    r = await client.post("/api/collections/field/daily", json={"today": day}, headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def noticed(client, auth, pump, feed, bound, **kw):
    s = await served(client, auth, pump, feed, **kw)
    await shutoff_step(bound, s.account_id, taken_on=date(2026, 3, 2), disconnect_on=DAY)
    await released_notice(bound, s.account_id, released_on=date(2026, 3, 2), action_on=DAY)
    return s


async def orders(client, h, account_id):
    r = await client.get(f"/api/collections/accounts/{account_id}/field-orders", headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def accounts_orders(client, h, account_id, kind):
    r = await client.get("/api/accounts/orders", params={"account_id": account_id}, headers=h)
    assert r.status_code == 200, r.text
    return [o for o in r.json() if o["kind"] == kind]


async def tag_left(client, auth, pump, admin, sup, ft, s, left_at="2026-03-14T17:00:00Z"):
    """The daily job makes the door tag, a supervisor approves it, the technician leaves it."""
    assert (await daily(client, admin, "2026-03-12"))["door_tags"] == 1
    tag = (await orders(client, sup, s.account_id))[0]
    r = await client.post("/api/collections/field/door-tags/approve",
                          json={"order_ids": [tag["id"]], "today": "2026-03-12"}, headers=sup)
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/collections/field/orders/{tag['id']}/complete",
                          json={"today": "2026-03-14", "completed_at": left_at}, headers=ft)
    assert r.status_code == 200, r.text
    await pump("collections", "accounts")
    return tag


async def test_a_door_tag_waits_for_a_supervisor_then_goes_to_accounts(
        client, auth, pump, feed, bound, admin, sup, ft):
    s = await noticed(client, auth, pump, feed, bound)
    assert (await daily(client, admin, "2026-03-11"))["door_tags"] == 0  # too early
    assert (await daily(client, admin, "2026-03-12"))["door_tags"] == 1
    assert (await daily(client, admin, "2026-03-12"))["door_tags"] == 0  # twice: nothing new
    [tag] = await orders(client, sup, s.account_id)
    assert (tag["kind"], tag["status"], tag["scheduled_on"]) == (
        "door_tag", "awaiting_approval", "2026-03-14")
    assert await outbox(bound, "collections", "collections.ServiceOrderRequested") == []
    r = await client.post("/api/collections/field/door-tags/approve",
                          json={"order_ids": [tag["id"]]}, headers=auth("csr2", "carmen"))
    assert r.status_code == 403
    r = await client.post("/api/collections/field/door-tags/approve",
                          json={"order_ids": [tag["id"]], "today": "2026-03-12"}, headers=sup)
    assert r.status_code == 200, r.text
    assert r.json()[0]["approved_by"] == "sam"
    [req] = await outbox(bound, "collections", "collections.ServiceOrderRequested")
    assert (req["kind"], req["scheduled_date"], req["reference"]) == (
        "door_tag", "2026-03-14", f"collections:{tag['id']}")
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "door_tag")
    assert (order["status"], order["reference"], order["scheduled_date"]) == (
        "open", f"collections:{tag['id']}", "2026-03-14")
    # the technician leaves it: accounts' order follows
    r = await client.post(f"/api/collections/field/orders/{tag['id']}/complete",
                          json={"today": "2026-03-14", "completed_at": "2026-03-14T17:00:00Z"},
                          headers=ft)
    assert r.status_code == 200, r.text
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "door_tag")
    assert order["status"] == "completed"
    await pump("accounts", "collections")  # accounts' completion changes nothing more
    assert (await orders(client, sup, s.account_id))[0]["completed_at"].startswith(
        "2026-03-14T17:00")


async def test_the_disconnect_is_completed_only_through_collections_on_an_allowed_day(
        client, auth, pump, feed, bound, admin, sup, ft):
    s = await noticed(client, auth, pump, feed, bound)
    await tag_left(client, auth, pump, admin, sup, ft, s)
    got = await daily(client, admin, "2026-03-16")
    assert got["disconnects"] == 0  # the notice names the 17th
    got = await daily(client, admin, "2026-03-17")
    assert (got["disconnects"], got["disconnects_refused"]) == (1, 0)
    assert (await daily(client, admin, "2026-03-17"))["disconnects"] == 0
    cut = [o for o in await orders(client, sup, s.account_id) if o["kind"] == "disconnect"][0]
    assert cut["status"] == "released"
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "disconnect_nonpayment")
    # the technician cannot complete it in accounts
    r = await client.post(f"/api/accounts/orders/{order['id']}/complete", json={}, headers=ft)
    assert r.status_code == 409, r.text
    assert r.json()["rule"] == "sb998.guarded_disconnect"
    # an appeal opens: collections refuses
    appeal = str(uuid.uuid4())
    await feed.send("billing.AppealOpened", f"account:{s.account_id}", {
        "appeal_id": appeal, "account_id": s.account_id, "status": "open",
        "bill_id": str(uuid.uuid4()), "opened_on": "2026-03-17"})
    await feed.drain()
    r = await client.post(f"/api/collections/field/orders/{cut['id']}/complete",
                          json={"today": "2026-03-17"}, headers=ft)
    assert r.status_code == 409, r.text
    assert (r.json()["rule"], r.json()["next_on"]) == ("sb998.open_appeal", None)
    await feed.send("billing.AppealDecided", f"account:{s.account_id}", {
        "appeal_id": appeal, "account_id": s.account_id, "status": "decided",
        "decision": "denied", "credit": "0.00"})
    await feed.drain()
    r = await client.post(f"/api/collections/field/orders/{cut['id']}/complete",
                          json={"today": "2026-03-21"}, headers=ft)  # a Saturday
    assert (r.status_code, r.json()["rule"], r.json()["next_on"]) == (
        409, "sb998.closed_day", "2026-03-23")
    r = await client.post(f"/api/collections/field/orders/{cut['id']}/complete",
                          json={"today": "2026-03-23", "notes": "curb stop locked"}, headers=ft)
    assert r.status_code == 200, r.text
    assert r.json()["completed_on"] == "2026-03-23"
    [rec] = await outbox(bound, "collections", "collections.DisconnectionRecorded")
    assert rec["disconnected_on"] == "2026-03-23"
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "disconnect_nonpayment")
    assert order["status"] == "completed" and "curb stop locked" in order["notes"]


async def disconnected(client, auth, pump, feed, bound, admin, sup, ft):
    s = await noticed(client, auth, pump, feed, bound)
    await tag_left(client, auth, pump, admin, sup, ft, s)
    await daily(client, admin, "2026-03-17")
    cut = [o for o in await orders(client, sup, s.account_id) if o["kind"] == "disconnect"][0]
    r = await client.post(f"/api/collections/field/orders/{cut['id']}/complete",
                          json={"today": "2026-03-17"}, headers=ft)
    assert r.status_code == 200, r.text
    await pump("collections", "accounts")
    return s, cut


async def paid(feed, s, on="2026-03-18"):
    await feed.send("billing.LedgerEntryPosted", f"account:{s.account_id}",
                    entry_posted(s.acct, "payment", "-120.00", on, "0.00"))
    await feed.drain()


@pytest.mark.parametrize("low_income,after_hours,fee", [
    (False, False, "75.00"), (False, True, "200.00"), (True, False, "50.00"),
    (True, True, "150.00"),
])
async def test_a_cured_account_is_reconnected_with_the_fee_once_in_billings_ledger(
        client, auth, pump, feed, bound, admin, sup, ft, csr, low_income, after_hours, fee):
    s, cut = await disconnected(client, auth, pump, feed, bound, admin, sup, ft)
    if low_income:
        r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
            "low_income": {"basis": "CARE enrolment", "on": "2026-01-01"},
            "today": "2026-03-18"}, headers=csr)
        assert r.status_code == 200, r.text
    r = await client.post("/api/collections/field/reconnects", json={
        "account_id": s.account_id, "after_hours": after_hours, "today": "2026-03-18"},
        headers=csr)
    assert r.status_code == 409 and r.json()["rule"] == "collections.not_cured"
    await paid(feed, s)
    r = await client.post("/api/collections/field/reconnects", json={
        "account_id": s.account_id, "after_hours": after_hours, "today": "2026-03-18"},
        headers=csr)
    assert r.status_code == 201, r.text
    back = r.json()
    assert (back["kind"], back["status"], back["reconnects"]) == (
        "reconnect", "released", cut["id"])
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "reconnect")
    # reconnected in accounts by the technician: collections learns of it and charges the fee
    r = await client.post(f"/api/accounts/orders/{order['id']}/complete", json={}, headers=ft)
    assert r.status_code == 200, r.text
    await pump("accounts", "collections")
    done = [o for o in await orders(client, sup, s.account_id) if o["kind"] == "reconnect"][0]
    assert (done["status"], done["fee"], done["low_income"]) == ("completed", fee, low_income)
    [assessed] = await outbox(bound, "collections", "collections.ReconnectionFeeAssessed")
    assert (assessed["amount"], assessed["after_hours"], assessed["low_income"]) == (
        fee, after_hours, low_income)
    await pump("accounts", "billing")
    await pump("collections", "billing")
    await pump("collections", "billing")  # a redelivery posts nothing more
    fees = (await bound["billing"].execute(text(
        "SELECT amount, reference FROM ledger_entries WHERE kind = 'reconnection_fee' "
        "AND account_id = :a"), {"a": s.account_id})).all()
    assert [(str(f.amount), f.reference) for f in fees] == [(fee, f"reconnect:{done['id']}")]


async def test_a_cure_cancels_the_open_door_tag_and_disconnect_in_accounts_too(
        client, auth, pump, feed, bound, admin, sup, ft):
    from services.collections.field import service

    s = await noticed(client, auth, pump, feed, bound)
    await tag_left(client, auth, pump, admin, sup, ft, s)
    await daily(client, admin, "2026-03-17")
    await pump("collections", "accounts")
    await paid(feed, s, "2026-03-17")
    from sqlmodel.ext.asyncio.session import AsyncSession
    async with AsyncSession(bound["collections"]) as session:
        await service.on_cured(session, uuid.UUID(s.account_id), date(2026, 3, 17))
        await service.on_cured(session, uuid.UUID(s.account_id), date(2026, 3, 17))
        await session.flush()
    statuses = {o["kind"]: o["status"] for o in await orders(client, sup, s.account_id)}
    assert statuses == {"door_tag": "completed", "disconnect": "cancelled"}
    [c] = await outbox(bound, "collections", "collections.ServiceOrderCancelled")
    assert c["kind"] == "disconnect_nonpayment"
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "disconnect_nonpayment")
    assert order["status"] == "cancelled"


async def test_the_daily_job_refuses_a_disconnect_no_door_tag_allows_and_says_why(
        client, auth, pump, feed, bound, admin, sup):
    s = await noticed(client, auth, pump, feed, bound)
    got = await daily(client, admin, "2026-03-17")
    assert (got["disconnects"], got["disconnects_refused"]) == (0, 1)
    r = await client.get("/api/collections/field/disconnects/tomorrow",
                         params={"today": "2026-03-16"}, headers=sup)
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["day"] == "2026-03-17"
    [row] = [x for x in view["rows"] if x["account_id"] == s.account_id]
    assert row["allowed"] is False and row["disconnect_on"] == "2026-03-17"
    assert [x["rule"] for x in row["refusals"]] == ["sb998.visit_48_hours"]


async def test_the_daily_job_disconnects_a_household_reached_by_phone_without_a_door_tag(
        client, auth, pump, feed, bound, admin, sup):
    """The 48-hour visit is owed only to a customer not reached: the daily job, which refuses
    unvisited accounts without gathering their other facts, must still let this one through."""
    s = await noticed(client, auth, pump, feed, bound)
    assert (await daily(client, admin, "2026-03-17"))["disconnects_refused"] == 1
    r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
        "reached": {"on": "2026-03-05", "how": "phone"}, "today": "2026-03-05"}, headers=sup)
    assert r.status_code == 200, r.text
    got = await daily(client, admin, "2026-03-17")
    assert (got["disconnects"], got["disconnects_refused"]) == (1, 0)
    [cut] = [o for o in await orders(client, sup, s.account_id) if o["kind"] == "disconnect"]
    assert cut["status"] == "released"


async def test_an_appeal_opened_after_release_cancels_the_disconnect(
        client, auth, pump, feed, bound, admin, sup, ft):
    s = await noticed(client, auth, pump, feed, bound)
    await tag_left(client, auth, pump, admin, sup, ft, s)
    await daily(client, admin, "2026-03-17")
    await feed.send("billing.AppealOpened", f"account:{s.account_id}", {
        "appeal_id": str(uuid.uuid4()), "account_id": s.account_id, "status": "open",
        "bill_id": str(uuid.uuid4()), "opened_on": "2026-03-17"})
    await feed.drain()
    got = await daily(client, admin, "2026-03-18")
    assert got["disconnects_cancelled"] == 1
    cut = [o for o in await orders(client, sup, s.account_id) if o["kind"] == "disconnect"][0]
    assert cut["status"] == "cancelled" and cut["cancel_reason"].startswith("sb998.open_appeal")


async def test_the_annual_report_counts_disconnections_and_restorations_by_month(
        client, auth, pump, feed, bound, admin, sup, ft, csr):
    s, _ = await disconnected(client, auth, pump, feed, bound, admin, sup, ft)
    await paid(feed, s, "2026-04-02")
    r = await client.post("/api/collections/field/reconnects", json={
        "account_id": s.account_id, "today": "2026-04-02"}, headers=csr)
    back = r.json()
    r = await client.post(f"/api/collections/field/orders/{back['id']}/complete",
                          json={"today": "2026-04-02"}, headers=ft)
    assert r.status_code == 200, r.text
    r = await client.get("/api/collections/reports/sb998-disconnections",
                         params={"year": 2026}, headers=sup)
    rep = r.json()
    assert rep["disconnections"] >= 1 and rep["restorations"] >= 1
    march, april = rep["months"][2], rep["months"][3]
    assert march["disconnections"] >= 1 and april["restorations"] >= 1
    r = await client.get("/api/collections/reports/sb998-disconnections.csv",
                         params={"year": 2026}, headers=sup)
    lines = r.text.splitlines()
    assert lines[0] == "year,month,disconnections_for_nonpayment,restorations"
    assert len(lines) == 14 and lines[-1].startswith("2026,TOTAL,")


async def test_a_door_tag_whose_shut_off_step_was_cured_is_cancelled_by_the_daily_job(
        client, auth, pump, feed, bound, admin, sup):
    s = await noticed(client, auth, pump, feed, bound)
    await daily(client, admin, "2026-03-12")
    [tag] = await orders(client, sup, s.account_id)
    await client.post("/api/collections/field/door-tags/approve",
                      json={"order_ids": [tag["id"]], "today": "2026-03-12"}, headers=sup)
    await pump("collections", "accounts")
    await bound["collections"].execute(text(
        "UPDATE ladder_steps SET status = 'cured', cured_on = '2026-03-13' "
        "WHERE account_id = :a"), {"a": s.account_id})
    got = await daily(client, admin, "2026-03-13")
    assert got["door_tags"] == 0
    [tag] = await orders(client, sup, s.account_id)
    assert tag["status"] == "cancelled"
    [c] = await outbox(bound, "collections", "collections.ServiceOrderCancelled")
    assert c["reference"] == f"collections:{tag['id']}"
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "door_tag")
    assert order["status"] == "cancelled"


async def test_a_released_disconnect_whose_step_is_held_by_a_promise_is_cancelled(
        client, auth, pump, feed, bound, admin, sup, ft):
    s = await noticed(client, auth, pump, feed, bound)
    await tag_left(client, auth, pump, admin, sup, ft, s)
    await daily(client, admin, "2026-03-17")
    await pump("collections", "accounts")
    await bound["collections"].execute(text(
        "UPDATE ladder_steps SET status = 'held' WHERE account_id = :a"), {"a": s.account_id})
    got = await daily(client, admin, "2026-03-18")
    assert got["disconnects"] == 0
    cut = [o for o in await orders(client, sup, s.account_id) if o["kind"] == "disconnect"][0]
    assert cut["status"] == "cancelled"
    [c] = await outbox(bound, "collections", "collections.ServiceOrderCancelled")
    assert c["kind"] == "disconnect_nonpayment"
    await pump("collections", "accounts")
    [order] = await accounts_orders(client, sup, s.account_id, "disconnect_nonpayment")
    assert order["status"] == "cancelled"
