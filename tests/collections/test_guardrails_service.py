"""SB 998's guardrails on real PostgreSQL: facts gathered from collections' copy, the ladder's
shut-off step, the released notices, the household's protections and the door tags left; each
rule tried against a disconnect order and refused with its name and next day."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.collections.field_helpers import (
    released_notice,
    served,
    shutoff_step,
)

DAY = date(2026, 3, 17)  # Tuesday; the bill fell due 2026-01-01: 75 days


@pytest.fixture
def ft(auth):
    return auth("field_tech", "fiona")


async def ready(client, auth, pump, feed, bound, **kw):
    """An account every rule allows disconnecting on DAY: 75 days past due, the shut-off notice
    released 11 business days before naming DAY, a door tag left 03-14 10:00 local."""
    s = await served(client, auth, pump, feed, **kw)
    await shutoff_step(bound, s.account_id, taken_on=date(2026, 3, 2), disconnect_on=DAY)
    await released_notice(bound, s.account_id, released_on=date(2026, 3, 2), action_on=DAY)
    from sqlalchemy import text
    await bound["collections"].execute(text(
        "INSERT INTO field_orders (id, account_id, premise_id, kind, status, scheduled_on, "
        "created_on, requested_by, completed_at, completed_on) VALUES (:id, :a, :p, "
        "'door_tag', 'completed', '2026-03-14', '2026-03-12', 'test', "
        "'2026-03-14T17:00:00Z', '2026-03-14')"),
        {"id": str(uuid.uuid4()), "a": s.account_id, "p": s.premise_id})
    return s


async def status(client, h, account_id, day=DAY, action="create"):
    r = await client.get(f"/api/collections/accounts/{account_id}/guardrails",
                         params={"today": day.isoformat(), "action": action}, headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def refused(client, h, account_id, day=DAY):
    r = await client.post("/api/collections/field/disconnects",
                          json={"account_id": account_id, "today": day.isoformat()}, headers=h)
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


async def test_an_account_every_rule_allows_gets_a_disconnect_order(client, auth, pump, feed,
                                                                   bound, sup):
    s = await ready(client, auth, pump, feed, bound)
    st = await status(client, sup, s.account_id)
    assert st["allowed"] is True and st["refusals"] == [] and st["next_on"] == "2026-03-17"
    r = await client.post("/api/collections/field/disconnects",
                          json={"account_id": s.account_id, "today": "2026-03-17"}, headers=sup)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "created"


async def test_under_60_days_delinquent_is_refused(client, auth, pump, feed, bound, sup):
    s = await ready(client, auth, pump, feed, bound, due="2026-01-20")
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["next_on"]) == ("sb998.delinquent_60_days", "2026-03-23")
    assert p["code"] == "sb998-refused" and p["status"] == 409


async def test_a_notice_released_under_7_business_days_before_is_refused(
        client, auth, pump, feed, bound, sup):
    s = await served(client, auth, pump, feed)
    await shutoff_step(bound, s.account_id, taken_on=date(2026, 3, 10), disconnect_on=DAY)
    await released_notice(bound, s.account_id, released_on=date(2026, 3, 10))
    st = await status(client, sup, s.account_id)
    notice = [x for x in st["refusals"] if x["rule"] == "sb998.notice_7_business_days"]
    assert notice and notice[0]["next_on"] == "2026-03-19"


async def test_no_door_tag_for_a_customer_not_reached_is_refused_until_one_is_left(
        client, auth, pump, feed, bound, sup, csr):
    s = await served(client, auth, pump, feed)
    await shutoff_step(bound, s.account_id, taken_on=date(2026, 3, 2), disconnect_on=DAY)
    await released_notice(bound, s.account_id, released_on=date(2026, 3, 2))
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["next_on"]) == ("sb998.visit_48_hours", None)
    # reached by phone after the notice: no door tag needed
    r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
        "reached": {"on": "2026-03-05", "how": "phone"}, "today": "2026-03-05"}, headers=csr)
    assert r.status_code == 200, r.text
    assert (await status(client, sup, s.account_id))["allowed"] is True


async def test_an_open_appeal_is_refused_until_decided(client, auth, pump, feed, bound, sup):
    s = await ready(client, auth, pump, feed, bound)
    appeal = str(uuid.uuid4())
    await feed.send("billing.AppealOpened", f"account:{s.account_id}", {
        "appeal_id": appeal, "account_id": s.account_id, "status": "open",
        "bill_id": str(uuid.uuid4()), "opened_on": "2026-03-16"})
    await feed.drain()
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["next_on"]) == ("sb998.open_appeal", None)
    await feed.send("billing.AppealDecided", f"account:{s.account_id}", {
        "appeal_id": appeal, "account_id": s.account_id, "status": "decided",
        "decision": "denied", "credit": "0.00"})
    await feed.drain()
    assert (await status(client, sup, s.account_id))["allowed"] is True


async def test_a_weekend_or_holiday_is_refused_with_the_next_business_day(
        client, auth, pump, feed, bound, sup):
    s = await ready(client, auth, pump, feed, bound)
    p = await refused(client, sup, s.account_id, date(2026, 3, 21))
    assert (p["rule"], p["next_on"]) == ("sb998.closed_day", "2026-03-23")
    p = await refused(client, sup, s.account_id, date(2026, 3, 31))  # Cesar Chavez Day
    assert (p["rule"], p["next_on"]) == ("sb998.closed_day", "2026-04-01")


async def test_not_before_the_date_the_notice_names(client, auth, pump, feed, bound, sup):
    s = await ready(client, auth, pump, feed, bound)
    await shutoff_step(bound, s.account_id, taken_on=date(2026, 3, 3),
                       disconnect_on=date(2026, 3, 19))
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["next_on"]) == ("sb998.notice_named_date", "2026-03-19")


async def test_medical_financial_and_willing_refuse_and_offer_an_arrangement(
        client, auth, pump, feed, bound, sup, csr):
    s = await ready(client, auth, pump, feed, bound)
    r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
        "medical": {"certified_on": "2026-03-05", "expires_on": "2026-06-30",
                    "certifier": "Dr. Ana Ruiz, Valley Clinic"},
        "financial": {"basis": "medi_cal", "on": "2026-03-05"},
        "today": "2026-03-05"}, headers=csr)
    assert r.status_code == 200, r.text
    assert r.json()["protected"] is False  # not yet willing
    assert (await status(client, sup, s.account_id))["allowed"] is True
    r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
        "willing": {"on": "2026-03-06"}, "today": "2026-03-06"}, headers=csr)
    assert r.json()["protected"] is True
    assert r.json()["medical"]["recorded_by"] == "carmen"
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["offer"], p["next_on"]) == (
        "sb998.medical_financial_willing", "arrangement", "2026-07-01")


async def test_tenants_of_a_landlord_customer_need_10_days(client, auth, pump, feed, bound,
                                                           sup):
    s = await ready(client, auth, pump, feed, bound, kind="multi_family", units=6, owner=True)
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["next_on"]) == ("sb998.tenant_notice", None)
    await released_notice(bound, s.account_id, released_on=date(2026, 3, 9),
                          addressee="tenant")
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["next_on"]) == ("sb998.tenant_notice", "2026-03-19")
    assert (await status(client, sup, s.account_id, date(2026, 3, 19)))["allowed"] is True


async def test_protections_refuse_a_certification_dated_after_today(client, auth, pump, feed,
                                                                    bound, csr):
    s = await ready(client, auth, pump, feed, bound)
    r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
        "medical": {"certified_on": "2026-03-20", "certifier": "Dr. Ruiz"},
        "today": "2026-03-17"}, headers=csr)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "medical"


async def test_an_arrangement_being_kept_is_refused_a_broken_one_after_its_final_notice(
        client, auth, pump, feed, bound, sup, csr):
    s = await ready(client, auth, pump, feed, bound)
    r = await client.post(f"/api/collections/accounts/{s.account_id}/arrangements",
                          params={"today": "2026-03-10"},
                          json={"kind": "deferral", "defer_to": "2026-03-20"},
                          headers={**csr, "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    p = await refused(client, sup, s.account_id)
    assert (p["rule"], p["next_on"]) == ("sb998.arrangement_kept", None)
    # the deferred amount unpaid 60 days: the arrangement breaks
    r = await client.post("/api/collections/arrangements/run-daily",
                          params={"today": "2026-05-20"}, headers=auth("admin"))
    assert r.status_code == 200, r.text
    p = await refused(client, sup, s.account_id, date(2026, 5, 20))
    assert (p["rule"], p["next_on"]) == ("sb998.broken_arrangement_final_notice", None)
    # the final notice posted at the premise on Wed 05-20: five business days, Memorial Day not
    await released_notice(bound, s.account_id, released_on=date(2026, 5, 20),
                          kind="final_notice")
    p = await refused(client, sup, s.account_id, date(2026, 5, 22))
    assert (p["rule"], p["next_on"]) == ("sb998.broken_arrangement_final_notice", "2026-05-28")
    assert (await status(client, sup, s.account_id, date(2026, 5, 28)))["allowed"] is True
