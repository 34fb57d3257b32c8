"""Meter to bill, end to end through the gateway."""

from __future__ import annotations

from tests.billing.helpers import make_site


async def test_residential_bill_prices_each_tier_to_the_cent(client, feed, rates, tech, sup):
    site = await make_site(feed, sewer=False)
    r = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": site.meter_id, "read_on": "2026-01-31", "value": "25"})
    assert r.status_code == 201, r.text
    assert r.json()["usage"] == "25.0000" and r.json()["status"] == "valid"
    run = await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C1", "period_start": "2026-01-01", "period_end": "2026-01-31",
        "bill_date": "2026-02-02"})
    assert run.status_code == 201, run.text
    body = run.json()
    # 20.00 fixed + 10x3.00 + 10x4.00 + 5x5.50 = 117.50
    assert body["bills"] == 1 and body["total"] == "117.50", body
