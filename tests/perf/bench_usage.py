"""Benchmark: the portal's 30-day hourly usage chart, `GET /api/billing/usage/accounts/{id}/hourly`.

    python -m tests.perf.bench_usage [--accounts 20000] [--with-data 500] [--days 365]
                                     [--requests 2000]

The issue's target: p95 <= 20 ms at 1,000,000 accounts with a year of hourly data for 10,000 of
them (`--accounts 1000000 --with-data 10000`; about 3.65 M `ami_days` rows). The default scale
is small, for a shared machine. Same harness as bench_aging (an embedded PostgreSQL of its own,
or TAPLINE_DATABASE_URL; every service migrated).

Billing's copy is seeded set-based with N accounts (customer, premise, meter, water agreement)
and K of them get `--days` days of hourly AMI data (24-slot arrays, as the AMI import stores
them). Then customers, each with their own token, ask for 30 days ending on a random day of
their year, one request after another through the gateway and the billing app in process (the
tests' wiring: no network, so the figure is the service's work: token check, ownership, two
indexed reads, JSON). Figures: p50/p95/p99 in ms, the same two queries against the database
alone, and their plans (which indexes they use).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import time
import uuid
from datetime import date, timedelta
from typing import Any

from tests.perf.harness import percentile, run_on_fresh_database

LAST_DAY = date(2026, 10, 31)

SEED = [
    """INSERT INTO customers (id, name) SELECT md5('c' || g)::uuid, 'Customer ' || g
       FROM generate_series(1, :n) g""",
    """INSERT INTO accounts (id, number, customer_id, name, status)
       SELECT md5('a' || g)::uuid, lpad((100000000 + g)::text, 9, '0'), md5('c' || g)::uuid,
              'Customer ' || g, 'active' FROM generate_series(1, :n) g""",
    """INSERT INTO premises (id, kind, cycle, route, address)
       SELECT md5('p' || g)::uuid, 'single_family', 'C' || (1 + g % 4), 'R' || (g % 24),
              jsonb_build_object('line1', g || ' Main St') FROM generate_series(1, :n) g""",
    """INSERT INTO meters (id, serial, size, dials, unit, status, premise_id, installed_at)
       SELECT md5('m' || g)::uuid, 'B' || (10000000 + g), '5/8', 6, 'HCF', 'installed',
              md5('p' || g)::uuid, date '2019-01-01' FROM generate_series(1, :n) g""",
    """INSERT INTO service_agreements (id, account_id, premise_id, service, rate_class, meter_id,
                                      start_date, status)
       SELECT md5('s' || g)::uuid, md5('a' || g)::uuid, md5('p' || g)::uuid, 'water', 'RES',
              md5('m' || g)::uuid, date '2020-01-01', 'active' FROM generate_series(1, :n) g""",
    # 64 day shapes, picked by meter and day, so the data is not one repeated row
    """WITH shapes AS (
           SELECT k, ARRAY(SELECT round((0.002 + ((k * 7 + h * 13) % 29) / 1000.0)::numeric, 3)
                           FROM generate_series(0, 23) h)::numeric(12,3)[] AS hourly
           FROM generate_series(0, 63) k)
       INSERT INTO ami_days (meter_id, day, hourly, total)
       SELECT md5('m' || g)::uuid, CAST(:last AS date) - d, s.hourly,
              (SELECT sum(x) FROM unnest(s.hourly) x)
       FROM generate_series(1, :k) g CROSS JOIN generate_series(0, :days - 1) d
       JOIN shapes s ON s.k = (g * 31 + d) % 64""",
    # one meter in 50 drips (0.005 HCF = 3.74 gallons an hour) for its last three days
    """UPDATE ami_days SET hourly = array_fill(0.005::numeric(12,3), ARRAY[24]), total = 0.12
       WHERE day >= CAST(:last AS date) - 2
         AND meter_id IN (SELECT md5('m' || g)::uuid FROM generate_series(50, :k, 50) g)""",
]

async def bench(n: int, k: int, days: int, requests: int) -> dict[str, Any]:
    import httpx
    from sqlalchemy import text

    from gateway.app import create_app as gateway
    from kernel.auth import issue_access_token
    from kernel.db import Database
    from kernel.keys import ensure_keys, private_key
    from kernel.settings import get_settings, service_role
    from services.billing.app import create_app as billing
    from services.billing.usage import repository as repo

    settings = get_settings()
    ensure_keys(settings)
    db = Database(settings.role_dsn(service_role("billing")), "billing", settings, "bench")
    figures: dict[str, Any] = {"accounts": n, "with_data": k, "days": days,
                               "requests": requests}
    t0 = time.perf_counter()
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n, "k": k, "days": days, "last": LAST_DAY})
        await s.commit()
    async with db.engine.connect() as c:
        await c.execution_options(isolation_level="AUTOCOMMIT")
        await c.execute(text("VACUUM ANALYZE accounts, customers, premises, meters, "
                             "service_agreements, ami_days"))
        figures["ami_days_rows"] = (await c.execute(text(
            "SELECT count(*) FROM ami_days"))).scalar_one()
    figures["seed_s"] = round(time.perf_counter() - t0, 1)

    rnd = random.Random(11)
    pem = private_key(settings)
    picks = [rnd.randint(1, k) for _ in range(min(k, 300))]
    ids = {g: _md5_uuid(f"a{g}") for g in set(picks)}
    tokens = {g: issue_access_token(pem, settings, f"c{g}", "customer",
                                    accounts=[str(ids[g])], minutes=120)[0] for g in ids}

    def window() -> tuple[date, date]:
        end = LAST_DAY - timedelta(days=rnd.randint(0, days - 30))
        return end - timedelta(days=29), end

    # the chart's one statement on its own, and its plan
    async with db.session() as s:
        g = picks[0]
        start, end = window()
        plan = [r[0] for r in (await s.execute(text(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + repo.METER_DAYS.text),
            {"a": ids[g], "m": None, "s": start, "e": end})).all()]
        figures["plan"] = plan
        db_ms = []
        for _ in range(min(requests, 1000)):
            g = rnd.choice(picks)
            start, end = window()
            t = time.perf_counter()
            rows = await repo.meter_days(s, ids[g], None, start, end)
            db_ms.append((time.perf_counter() - t) * 1000)
            assert len(rows) == 30
        figures["database_only_ms"] = _summary(db_ms)

    # the nightly leak detection over every meter with data on the last day
    from services.billing.usage.service import detect_leaks

    async with db.session() as s:
        t = time.perf_counter()
        opened = await detect_leaks(s, LAST_DAY)
        figures["detect_leaks"] = {"meters": k, "seconds": round(time.perf_counter() - t, 3),
                                   "alerts_opened": opened}
        await s.rollback()

    app = billing()
    gw = gateway(transports={"billing": httpx.ASGITransport(app=app)})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gw),
                                 base_url="http://bench") as client:
        async def one(g: int) -> float:
            start, end = window()
            t = time.perf_counter()
            r = await client.get(f"/api/billing/usage/accounts/{ids[g]}/hourly",
                                 params={"start": start.isoformat(), "end": end.isoformat()},
                                 headers={"Authorization": f"Bearer {tokens[g]}"})
            ms = (time.perf_counter() - t) * 1000
            assert r.status_code == 200, r.text
            assert len(r.json()["days"]) == 30
            return ms

        for g in picks[:100]:  # warm: pools, token cache, plans
            await one(g)
        cpu0 = time.process_time()
        api_ms = [await one(rnd.choice(picks)) for _ in range(requests)]
        cpu = time.process_time() - cpu0
    figures["api_ms"] = _summary(api_ms)
    # CPU of this process (client, gateway and billing app) per request: what the machine's
    # other work cannot inflate; the database's own time is in the plans above.
    figures["api_cpu_ms_per_request"] = round(cpu * 1000 / requests, 2)
    figures["load_average"] = os.getloadavg()
    figures["target"] = "p95 <= 20 ms at 1,000,000 accounts / 10,000 with a year of data"
    await db.dispose()
    return figures


def _md5_uuid(key: str) -> uuid.UUID:
    """PostgreSQL's `md5(key)::uuid`, as the seed derives its ids."""
    return uuid.UUID(hashlib.md5(key.encode()).hexdigest())  # noqa: S324 (ids, not secrets)


def _summary(ms: list[float]) -> dict[str, float]:
    return {"p50": round(percentile(ms, 50), 2), "p95": round(percentile(ms, 95), 2),
            "p99": round(percentile(ms, 99), 2), "n": len(ms)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--accounts", type=int, default=20_000)
    p.add_argument("--with-data", type=int, default=500)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--requests", type=int, default=2000)
    a = p.parse_args()
    if a.with_data > a.accounts or a.days < 30:
        p.error("--with-data must not exceed --accounts, and --days must be at least 30")

    async def run() -> dict[str, Any]:
        return await bench(a.accounts, a.with_data, a.days, a.requests)

    run_on_fresh_database(f"usage-{a.accounts}-{a.with_data}", run)


if __name__ == "__main__":
    main()
