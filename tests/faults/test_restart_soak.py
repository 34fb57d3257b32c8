"""Soak (`make soak`): the database restarted at random moments of a large bill run's finalise,
round after round. Each run is wholly final or wholly not (and finalises once the database is
back), each bill is posted once, the ledger reconciles, no process is restarted, and
`/api/health` is red during each outage and green after. The figures are printed."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from datetime import date
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from services.billing.demo import load_rates
from tests.conftest import mint_token
from tests.events.helpers import database
from tests.faults.stack import Restartable
from tests.perf.bench_bill_run import GENERATE

ROUNDS = 8
PER_CYCLE = 3000

#: billing's finalise under way: its first statement running, or its transaction still open
FINALISING = ("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tapline-billing' "
              "AND state IN ('active', 'idle in transaction') AND (query LIKE "
              "'%UPDATE bills SET status = ''final''%' "
              "OR query LIKE '%INSERT INTO ledger_entries%' "
              "OR query LIKE '%WITH fb AS MATERIALIZED%' OR query LIKE '%UPDATE bill_runs%')")


async def _finalise(api: httpx.AsyncClient, watch: asyncpg.Connection, run_id: str,
                    headers: dict[str, str]) -> tuple[asyncio.Task[httpx.Response], float]:
    """Send finalise; return once the database is working on it (and when that was)."""
    task = asyncio.create_task(api.post(f"/api/billing/runs/{run_id}/finalise", headers=headers))
    while not task.done():
        if await watch.fetchval(FINALISING):
            break
        await asyncio.sleep(0.005)
    return task, time.monotonic()


def _h(role: str, sub: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(role, sub)}"}


def _ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, (r.request.url, r.status_code, r.text)
    return r.json()


@pytest.fixture(scope="module")
async def district(own_server: Restartable) -> list[str]:
    """ROUNDS cycles of PER_CYCLE accounts each (water and wastewater, two reads per meter),
    written straight into billing's copy the way the bill-run benchmark does."""
    db = database(own_server.url, "billing")
    try:
        async with db.session() as s:
            for sql in GENERATE:
                await s.execute(text(sql), {"n": ROUNDS * PER_CYCLE})
            await s.execute(text(
                "UPDATE premises p SET cycle = 'S' || (x.rn % :r + 1) FROM "
                "(SELECT id, row_number() OVER (ORDER BY id) AS rn FROM premises) x "
                "WHERE x.id = p.id"), {"r": ROUNDS})
            await load_rates(s, date(2025, 7, 1))
            await s.commit()
    finally:
        await db.dispose()
    conn = await asyncpg.connect(own_server.url)
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return [f"S{k + 1}" for k in range(ROUNDS)]


async def _state(url: str, run_id: str) -> str:
    """'final' or 'not final', having checked the run is wholly one or the other."""
    conn = await asyncpg.connect(url)
    try:
        rid = uuid.UUID(run_id)
        status = await conn.fetchval("SELECT status FROM billing.bill_runs WHERE id = $1", rid)
        bills = {r["status"]: r["n"] for r in await conn.fetch(
            "SELECT status, count(*) AS n FROM billing.bills WHERE run_id = $1 GROUP BY 1", rid)}
        posted = await conn.fetchrow(
            "SELECT count(e.id) AS entries, count(DISTINCT e.reference) AS bills, "
            "count(*) FILTER (WHERE e.amount <> b.total) AS wrong "
            "FROM billing.bills b JOIN billing.ledger_entries e "
            "ON e.kind = 'bill' AND e.reference = b.id::text WHERE b.run_id = $1", rid)
        issued = await conn.fetchval(
            "SELECT count(*) FROM billing.outbox o JOIN billing.bills b "
            "ON b.id::text = o.payload->'bill'->>'id' "
            "WHERE o.type = 'billing.BillIssued' AND b.run_id = $1", rid)
    finally:
        await conn.close()
    if status == "finalised":
        assert list(bills) == ["final"], bills
        n = bills["final"]
        assert (posted["entries"], posted["bills"], posted["wrong"], issued) == (n, n, 0, n)
        return "final"
    assert status == "approved", status
    assert list(bills) == ["draft"], bills
    assert (posted["entries"], issued) == (0, 0)
    return "not final"


@pytest.mark.soak
async def test_database_restarts_at_random_moments_of_finalise_leave_each_run_wholly_final_or_not(
    own_server: Restartable, district: list[str],
):
    rng = random.Random(8)
    stack = own_server.stack
    tech, sup, sup2 = _h("billing_tech"), _h("supervisor"), _h("supervisor", "sam2")
    outcomes: list[str] = []
    finalise_seconds = 0.0
    bills = 0
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=stack.base, timeout=120) as api:
        for k, cycle in enumerate(district):
            run = _ok(await api.post("/api/billing/runs", headers=tech, json={
                "cycle": cycle, "period_start": "2026-02-01", "period_end": "2026-02-28",
                "bill_date": "2026-03-02"}), 201)
            rid = run["id"]
            bills += run["bills"]
            _ok(await api.post(f"/api/billing/runs/{rid}/prepare", headers=tech))
            _ok(await api.post(f"/api/billing/runs/{rid}/approve", headers=sup))
            watch = await asyncpg.connect(own_server.url)
            finalise, t0 = await _finalise(api, watch, rid, sup2)
            if k == 0:  # the control round: how long finalise works in the database
                _ok(await finalise)
                finalise_seconds = time.monotonic() - t0
                await watch.close()
                assert await _state(own_server.url, rid) == "final"
                continue
            await asyncio.sleep(rng.uniform(0, 1.3 * finalise_seconds))
            in_flight = bool(await watch.fetchval(FINALISING)) and not finalise.done()
            await watch.close()
            status, red = await own_server.restart(down_seconds=rng.uniform(0.2, 2.0))
            assert status == 503 and red["status"] == "down", red
            answer = await finalise
            await asyncio.to_thread(stack.wait_health, "ok", 90)
            assert all(stack.alive().values()), stack.alive()

            state = await _state(own_server.url, rid)
            if answer.status_code == 200:
                assert state == "final", "told final, but it is not"
            outcomes.append(f"{'in flight' if in_flight else 'done'} → {state}")
            if state == "not final":
                _ok(await api.post(f"/api/billing/runs/{rid}/finalise", headers=sup2))
                assert await _state(own_server.url, rid) == "final"
        rec = _ok(await api.get("/api/billing/ledger/reconciliation", headers=tech))
    elapsed = time.monotonic() - started
    interrupted = sum(o.endswith("→ not final") for o in outcomes)
    print(
        f"\nrestart soak: {len(district)} runs, {bills:,} bills; an undisturbed finalise of "
        f"{PER_CYCLE:,} bills ran {finalise_seconds:.2f} s in the database; "
        f"{len(outcomes)} restarts during finalise: {interrupted} rolled the run back whole, "
        f"{len(outcomes) - interrupted} came after it committed ({'; '.join(outcomes)}); "
        f"ledger reconciles: {rec['ok']}; {elapsed:.0f} s",
        flush=True,
    )
    assert rec["ok"] is True, rec
    assert interrupted >= 1, outcomes
