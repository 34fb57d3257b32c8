"""Demo data loads and bills; deposits due for refund are applied; retried writes are safe."""

from __future__ import annotations

from datetime import date

from services.billing.demo import load_demo
from tests.billing.helpers import make_site, read


async def test_demo_rates_bill_a_residential_customer(client, feed, service_apps, tech):
    async with service_apps["billing"].state.db.session() as s:
        await load_demo(s, date(2026, 1, 15))
        await s.commit()
    site = await make_site(feed, sewer=False)
    await read(client, tech, site, "8")
    run = (await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C1", "period_start": "2026-01-01", "period_end": "2026-01-31"})).json()
    # 18.50 fixed + 6 x 3.12 + 2 x 4.05 + 0.85 state fee = 46.17
    assert run["total"] == "46.17"


async def test_deposit_due_for_refund_is_applied_as_a_credit(client, feed, tech):
    s = await make_site(feed, sewer=False)
    await feed.send("accounts.DepositDueForRefund", f"account:{s.account_id}", {
        "account_id": s.account_id, "amount": "100.00", "held_since": "2025-01-01"})
    await feed.drain()
    led = (await client.get(f"/api/billing/ledger/accounts/{s.account_id}",
                            headers=tech)).json()
    assert led["balance"] == "-100.00" and led["unapplied_credit"] == "100.00"


async def test_a_retried_adjustment_with_the_same_idempotency_key_posts_once(
        client, feed, tech):
    s = await make_site(feed, sewer=False)
    body = {"account_id": s.account_id, "amount": "-10.00", "reason_code": "courtesy",
            "reason": "sorry"}
    h = {**tech, "Idempotency-Key": "adj-1"}
    a = await client.post("/api/billing/adjustments", headers=h, json=body)
    b = await client.post("/api/billing/adjustments", headers=h, json=body)
    assert a.json()["id"] == b.json()["id"]
    led = (await client.get(f"/api/billing/ledger/accounts/{s.account_id}",
                            headers=tech)).json()
    assert led["balance"] == "-10.00"


async def test_rate_versions_refuse_bad_schedules(client, tech, rates):
    base = {"name": "x", "effective_date": "2027-01-01", "classes": [
        {"service": "water", "rate_class": "RES", "blocks": [{"width": "5", "price": "1"}]}]}
    r = await client.post("/api/billing/rates/versions", headers=tech, json=base)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "classes.0.blocks"
    dup = dict(rates)
    dup.pop("id")
    r = await client.post("/api/billing/rates/versions", headers=tech, json=dup)
    assert r.status_code == 409
    neg = {**base, "classes": [{"service": "water", "rate_class": "RES",
                                "blocks": [{"width": None, "price": "-1"}]}]}
    r = await client.post("/api/billing/rates/versions", headers=tech, json=neg)
    assert r.status_code == 422
    two = {**base, "classes": [base["classes"][0], base["classes"][0]]}
    r = await client.post("/api/billing/rates/versions", headers=tech, json=two)
    assert r.status_code == 422
    fixed_blocks = {**base, "classes": [{"service": "fire_line", "rate_class": "F",
                                         "basis": "fixed_only",
                                         "blocks": [{"width": None, "price": "1"}]}]}
    r = await client.post("/api/billing/rates/versions", headers=tech, json=fixed_blocks)
    assert r.status_code == 422
    listed = await client.get("/api/billing/rates/versions", headers=tech)
    assert [v["name"] for v in listed.json()] == ["FY2026"]
    one = await client.get(f"/api/billing/rates/versions/{rates['id']}", headers=tech)
    assert one.json() == listed.json()[0]
    assert {(c["service"], c["rate_class"], len(c["blocks"])) for c in one.json()["classes"]} \
        == {(c["service"], c["rate_class"], len(c["blocks"])) for c in rates["classes"]}


async def test_a_late_charge_from_collections_is_posted_once_per_notice(client, feed, tech):
    s = await make_site(feed, sewer=False)
    body = {"account_id": s.account_id, "amount": "12.50", "assessed_on": "2026-03-01",
            "notice_id": "notice-1"}
    await feed.send("collections.LateChargeAssessed", f"account:{s.account_id}", body)
    await feed.send("collections.LateChargeAssessed", f"account:{s.account_id}", body)
    await feed.drain()
    led = (await client.get(f"/api/billing/ledger/accounts/{s.account_id}",
                            headers=tech)).json()
    assert led["balance"] == "12.50"
    assert [e["kind"] for e in led["entries"]].count("late_charge") == 1
