"""Partitioned bill runs: a cycle run split by account hash, its parts claimed by workers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from kernel.auth import Principal
from services.billing.runs import service as runs
from tests.billing.helpers import make_site, read


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "pat")


async def test_a_run_in_parts_bills_every_account_once_as_a_run_in_one_part(
        client, feed, rates, tech, sup, sup2, service_apps):
    sites = [await make_site(feed, rate_class="COM" if i % 3 == 0 else "RES",
                             units=1) for i in range(7)]
    for i, site in enumerate(sites):
        await read(client, tech, site, str(5 + 7 * i))
    db = service_apps["billing"].state.db
    async with db.session() as s:
        run = await runs.create(s, Principal("sam", "billing_tech"), "C1", date(2026, 1, 1),
                                date(2026, 1, 31), date(2026, 2, 2), parts=3)
        await s.commit()
    assert run.bills == 0  # only split: workers calculate the parts
    rid = str(run.id)
    early = await client.post(f"/api/billing/runs/{rid}/prepare", headers=tech)
    assert early.status_code == 409  # not every part is calculated yet

    done = []
    async with db.session() as s:
        while (part := await runs.calculate_part(s, "worker-1")) is not None:
            done.append(part.part)
            await s.commit()  # one part per transaction, as a worker process does
    assert sorted(done) == [0, 1, 2]
    split = (await client.get(f"/api/billing/runs/{rid}", headers=tech)).json()
    per_account = (await feed.bound["billing"].execute(text(
        "SELECT account_id, count(*) FROM bills WHERE run_id = :r GROUP BY account_id"),
        {"r": rid})).all()
    assert sorted(str(a) for a, _ in per_account) == sorted(s.account_id for s in sites)
    assert all(n == 1 for _, n in per_account)

    whole = (await client.post(f"/api/billing/runs/{rid}/recalculate", headers=tech)).json()
    assert (whole["bills"], whole["total"], whole["flags"]) == (
        split["bills"], split["total"], split["flags"])
    for step, h in (("prepare", tech), ("approve", sup), ("finalise", sup2)):
        x = await client.post(f"/api/billing/runs/{rid}/{step}", headers=h)
        assert x.status_code == 200, x.text
    assert x.json()["status"] == "finalised"


async def test_a_worker_with_no_part_waiting_does_nothing(service_apps, rates):
    async with service_apps["billing"].state.db.session() as s:
        assert await runs.calculate_part(s, "worker-1") is None
