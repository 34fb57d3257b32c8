"""Billing's lists export whole as CSV: the runs, a run's bills and its register, each row
once, the totals to the cent the same as the JSON's."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from tests.billing.helpers import billed_run, make_site, read


def _rows(r) -> list[dict[str, str]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


async def test_a_runs_bills_and_register_export_every_bill_with_the_runs_total(
        client, feed, rates, tech, sup, auth):
    sites = [await make_site(feed) for _ in range(3)]
    for site, value in zip(sites, ("12", "25", "31"), strict=True):
        await read(client, tech, site, value)
    run = await billed_run(client, tech, sup, auth("supervisor", "pat"))
    page = await client.get(f"/api/billing/runs/{run['id']}/bills", headers=tech,
                            params={"limit": 1})
    assert len(page.json()) == 1
    bills = _rows(await client.get(f"/api/billing/runs/{run['id']}/bills", headers=tech,
                                   params={"format": "csv", "limit": 1}))
    assert {b["account_id"] for b in bills} == {s.account_id for s in sites}
    assert sum(Decimal(b["total"]) for b in bills) == Decimal(run["total"])
    register = _rows(await client.get(f"/api/billing/bills/runs/{run['id']}/register",
                                      headers={**tech, "Accept": "text/csv"}))
    assert len(register) == 3
    assert sum(Decimal(r["total"]) for r in register) == Decimal(run["total"])
    assert all(Decimal(r["water"]) + Decimal(r["wastewater"]) + Decimal(r["other"])
               == Decimal(r["total"]) for r in register)
    runs = _rows(await client.get("/api/billing/runs", headers=tech,
                                  params={"format": "csv", "limit": 1}))
    mine = [r for r in runs if r["id"] == run["id"]]
    assert len(mine) == 1 and Decimal(mine[0]["total"]) == Decimal(run["total"])
    assert mine[0]["status"] == "finalised"
