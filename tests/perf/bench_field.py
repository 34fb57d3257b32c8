"""Benchmark: the field's daily step (door tags due, disconnect orders due with their SB 998
guardrails and events) over N accounts, 20 % of them past due, day by day after the ladder.

    python -m tests.perf.bench_field --accounts 20000 [--start 2026-01-02] [--end 2026-04-10]

The district of bench_ladder (its SEED: a year of bills, one account in five with its last
three bills unpaid from 2026-01-01). Each day the daily job runs the ladder (`daily.service.run`,
not timed here: bench_ladder times it), the supervisor's work is done as SQL (the day's letters
released, door tags approved and left at 10:00 on their day), then `field.service.run_daily` is
timed in its own committed transaction: the stale door tags cancelled, the door tags due
inserted, the disconnect candidates' facts gathered for all of them at once, the allowed
disconnects inserted and announced in one statement, the released ones re-checked.
Figures: each day's seconds and counts; the worst day; the orders made.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from typing import Any

from tests.perf.bench_ladder import SEED
from tests.perf.harness import run_on_fresh_database

SUPERVISOR = [
    "UPDATE notices SET status = 'released', released_on = :d WHERE status = 'queued'",
    "UPDATE field_orders SET status = 'released', approved_by = 'bench', released_on = :d "
    "WHERE kind = 'door_tag' AND status = 'awaiting_approval'",
    "UPDATE field_orders SET status = 'completed', completed_on = :d, "
    "completed_at = CAST(:d AS timestamp) + interval '18 hours' "
    "WHERE kind = 'door_tag' AND status = 'released' AND scheduled_on <= :d",
]


async def bench(n: int, start: date, end: date) -> dict[str, Any]:
    from sqlalchemy import text

    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.collections.daily import service as daily
    from services.collections.field import service as field

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("collections")), "collections", settings,
                  "bench")
    figures: dict[str, Any] = {"accounts": n}
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
        await s.execute(text("ANALYZE"))
    runs = []
    for i in range((end - start).days + 1):
        day = start + timedelta(days=i)
        async with db.session() as s:
            await daily.run(s, day, "bench")
            for stmt in SUPERVISOR:
                await s.execute(text(stmt), {"d": day})
            await s.commit()
        async with db.session() as s:
            t0 = time.perf_counter()
            out = await field.run_daily(s, day)
            await s.commit()
            took = time.perf_counter() - t0
        runs.append({"day": str(day), "seconds": round(took, 3),
                     **{k: v for k, v in out.items() if v}})
        if any(v for v in out.values()):
            print(runs[-1], flush=True)
    async with db.session() as s:
        made = dict((await s.execute(text(
            "SELECT kind || ':' || status, count(*) FROM field_orders GROUP BY 1"))).all())
    worst = max(runs, key=lambda r: r["seconds"])
    figures.update({"orders": made, "worst_day": worst,
                    "mean_day_s": round(sum(r["seconds"] for r in runs) / len(runs), 3),
                    "days": runs})
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=20_000)
    ap.add_argument("--start", type=date.fromisoformat, default=date(2026, 1, 2))
    ap.add_argument("--end", type=date.fromisoformat, default=date(2026, 4, 10))
    args = ap.parse_args()
    run_on_fresh_database(f"field_{args.accounts}",
                          lambda: bench(args.accounts, args.start, args.end))


if __name__ == "__main__":
    main()
