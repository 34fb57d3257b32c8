"""Benchmark: arrangements' daily step and the CSR II call list over N accounts.

    python -m tests.perf.bench_arrangements --accounts 100000

Same harness and copy as bench_aging: N accounts with a year of bills and payments, 20% of them
leaving the last six bills unpaid. Half of those past-due accounts have an arrangement made
2025-12-01 over 12 months for 300.00 (a third of them paid on time, a third short on the first
instalment so they break, a third paid in full so they complete), and a tenth an open promise.
Then `arrangements.service.run_daily` (every active arrangement and promise, set-based, with
events and letters) runs twice on one day (the second must do nothing), and the call list's
first page is read whole and filtered by cycle. Figures: seconds per step.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from tests.perf.bench_aging import SEED
from tests.perf.harness import run_on_fresh_database

ARRANGE = [
    """INSERT INTO arrangements (id, account_id, kind, status, total, made_on, created_by,
                                 created_role, idempotency_key)
       SELECT md5('arr' || g)::uuid, md5('a' || g)::uuid, 'amortised', 'active', 300.00,
              date '2025-12-01', 'bench', 'csr2', 'k' || g
       FROM generate_series(1, :n) g WHERE g % 10 = 0""",
    """INSERT INTO arrangement_instalments (arrangement_id, seq, due_on, amount)
       SELECT md5('arr' || g)::uuid, m, (date '2026-01-01' + make_interval(months => m - 1))::date,
              25.00
       FROM generate_series(1, :n) g, generate_series(1, 12) m WHERE g % 10 = 0""",
    # paid on time, each new bill and each instalment (g % 30 = 10), short (g % 30 = 20: nothing
    # paid), in full (g % 30 = 0)
    """INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, reference)
       SELECT md5('ap' || g || '-' || m)::uuid, md5('a' || g)::uuid, 'payment',
              -(25.00 + 40 + (g % 50) + (m + 7) / 4.0),
              (date '2025-12-28' + make_interval(months => m - 1))::date, 'ap' || g || '-' || m
       FROM generate_series(1, :n) g, generate_series(1, 3) m WHERE g % 30 = 10""",
    """INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, reference)
       SELECT md5('af' || g)::uuid, md5('a' || g)::uuid, 'payment', -2000.00,
              date '2026-03-10', 'af' || g
       FROM generate_series(1, :n) g WHERE g % 30 = 0""",
    """INSERT INTO promises (id, account_id, promised_on, amount, status, made_on, created_by)
       SELECT md5('pr' || g)::uuid, md5('a' || g)::uuid, date '2026-03-15', 50.00, 'open',
              date '2026-03-05', 'bench'
       FROM generate_series(1, :n) g WHERE g % 50 = 5""",
    """INSERT INTO premise_cycles (premise_id, cycle)
       SELECT md5('pm' || g)::uuid, 'C' || (g % 20) FROM generate_series(1, :n) g""",
    """INSERT INTO service_agreements (id, account_id, premise_id, service, status, start_date)
       SELECT md5('sa' || g)::uuid, md5('a' || g)::uuid, md5('pm' || g)::uuid, 'water',
              'active', date '2025-01-01' FROM generate_series(1, :n) g""",
]


async def bench(n: int) -> dict[str, Any]:
    from sqlalchemy import text

    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.collections.arrangements import service
    from services.collections.worklists import service as worklists

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("collections")), "collections", settings,
                  "bench")
    figures: dict[str, Any] = {"accounts": n}
    t0 = time.perf_counter()
    async with db.session() as s:
        for stmt in [*SEED, *ARRANGE]:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
        await s.execute(text("ANALYZE"))
        figures["arrangements"] = (await s.execute(text(
            "SELECT count(*) FROM arrangements"))).scalar_one()
    figures["seed_s"] = round(time.perf_counter() - t0, 2)
    today = date(2026, 3, 20)
    for run in ("first", "second"):
        async with db.session() as s:
            t0 = time.perf_counter()
            counts = await service.run_daily(s, today)
            await s.commit()
            figures[f"run_daily_{run}_s"] = round(time.perf_counter() - t0, 2)
            figures[f"run_daily_{run}"] = counts
    assert not any(figures["run_daily_second"].values()), figures["run_daily_second"]
    async with db.session() as s:
        figures["events"] = (await s.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
        figures["letters"] = (await s.execute(text("SELECT count(*) FROM notices"))).scalar_one()
        t0 = time.perf_counter()
        page = await worklists.call_list(s, today, limit=100)
        figures["call_list_s"] = round(time.perf_counter() - t0, 2)
        figures["call_list_total"] = page.total
        t0 = time.perf_counter()
        cyc = await worklists.call_list(s, today, cycle="C5", min_days=30, limit=100)
        figures["call_list_cycle_s"] = round(time.perf_counter() - t0, 2)
        figures["call_list_cycle_total"] = cyc.total
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=100_000)
    args = ap.parse_args()
    run_on_fresh_database(f"arrangements_{args.accounts}", lambda: bench(args.accounts))


if __name__ == "__main__":
    main()
