"""Benchmark: the daily ladder over N accounts, 20 % of them past due, notices and events
included (the daily job as `POST /api/collections/daily` runs it, one transaction, committed).

    python -m tests.perf.bench_ladder --accounts 100000 [--start 2026-01-02] [--end 2026-03-31]

Same harness as bench_aging (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL, a
scratch database's admin URL; every service migrated). Collections' copy is seeded with N
accounts (customer, mailing address, premise, one in ten served at a premise that is not the
mailing address, so shut-off notices bring an Occupant copy), each with a year of monthly bills
on one of 20 cycles (due dates spread over 20 days) and a payment before each due date; one
account in five has left its last three bills unpaid (due from 2026-01-01 on), so by the end
20 % of the district is past due, the oldest bills 60-90 days.

The daily job (`daily.service.run`, as `POST /api/collections/daily` runs it: the ladder with
its late charges, letters and events, one transaction, committed) runs every day from `--start`
to `--end`, timed; before each day the accounts whose payments are dated that day are marked
changed, as the ladder's handlers mark them when billing's `LedgerEntryPosted` arrives (about
one account in 30 a day). From the default start each day is an ordinary day: the bills
whose next step is due take it. `--start 2026-03-26` instead makes the first day a district's
first run with no ladder history, every past-due bill taking its reminder at once (the
heaviest day there is).
Figures: each day's seconds, steps by kind, late charges, letters and events; the worst day.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from typing import Any

from tests.perf.harness import run_on_fresh_database

SEED = [
    """INSERT INTO customers (id, name, language, mailing)
       SELECT md5('c' || g)::uuid, 'Customer ' || g, CASE WHEN g % 4 = 0 THEN 'es' ELSE 'en' END,
              jsonb_build_object('line1', g || ' Main St', 'city', 'Town', 'state', 'CA',
                                 'postal_code', '95000')
       FROM generate_series(1, :n) g""",
    """INSERT INTO accounts (id, number, customer_id, status, mailing)
       SELECT md5('a' || g)::uuid, lpad((100000000 + g)::text, 9, '0'), md5('c' || g)::uuid,
              'active', jsonb_build_object('line1', g || ' Main St', 'city', 'Town',
                                           'state', 'CA', 'postal_code', '95000')
       FROM generate_series(1, :n) g""",
    """INSERT INTO premises (id, kind, dwelling_units, address)
       SELECT md5('p' || g)::uuid, 'single_family', 1,
              jsonb_build_object('line1', CASE WHEN g % 10 = 0 THEN g || ' Oak Ave'
                                               ELSE g || ' Main St' END,
                                 'city', 'Town', 'state', 'CA', 'postal_code', '95000')
       FROM generate_series(1, :n) g""",
    """INSERT INTO service_agreements (id, account_id, premise_id, service, status, start_date)
       SELECT md5('s' || g)::uuid, md5('a' || g)::uuid, md5('p' || g)::uuid, 'water',
              'active', date '2024-01-01'
       FROM generate_series(1, :n) g""",
    """INSERT INTO bills (id, account_id, bill_date, due_date, total, status)
       SELECT md5('b' || g || '-' || m)::uuid, md5('a' || g)::uuid,
              ((date '2025-04-01' + make_interval(months => m))::date + (g % 20)) - 20,
              ((date '2025-04-01' + make_interval(months => m))::date + (g % 20)),
              40 + (g % 50) + m / 4.0, 'open'
       FROM generate_series(1, :n) g, generate_series(0, 11) m""",
    """INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, reference)
       SELECT md5('e' || g || '-' || m)::uuid, md5('a' || g)::uuid, 'payment',
              -(40 + (g % 50) + m / 4.0),
              ((date '2025-04-01' + make_interval(months => m))::date + (g % 20)) - 3,
              'p' || g || '-' || m
       FROM generate_series(1, :n) g, generate_series(0, 11) m
       WHERE NOT (g % 5 = 0 AND m >= 9)""",
]


async def bench(n: int, start: date, end: date) -> dict[str, Any]:
    from sqlalchemy import text

    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.collections.daily import service as daily

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("collections")), "collections", settings,
                  "bench")
    figures: dict[str, Any] = {"accounts": n}
    t0 = time.perf_counter()
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
        await s.execute(text("ANALYZE"))
        entries = (await s.execute(text("SELECT count(*) FROM receivable"))).scalar_one()
    figures.update({"entries": entries, "seed_s": round(time.perf_counter() - t0, 2)})
    runs = []
    for i in range((end - start).days + 1):
        day = start + timedelta(days=i)
        async with db.session() as s:
            # What the ladder's handlers would have marked as the day's payments arrived (the
            # seed wrote them straight into the copy): each paying account, as of its day.
            await s.execute(text(
                "INSERT INTO ladder_dirty (account_id, until) SELECT DISTINCT account_id, "
                "posted_on FROM ledger_entries WHERE posted_on = :d ON CONFLICT DO NOTHING"),
                {"d": day})
            await s.commit()
            before = (await s.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
            t0 = time.perf_counter()
            out = await daily.run(s, day, "bench")
            await s.commit()
            took = time.perf_counter() - t0
            published = (await s.execute(text("SELECT count(*) FROM outbox"))).scalar_one()
        ladder = {k: v for k, v in out["ladder"].items() if v}
        runs.append({"day": str(day), "seconds": round(took, 2),
                     "ladder_s": out["seconds"]["ladder"], **ladder,
                     "events": published - before, "by_feature_s": out["seconds"]})
        print(runs[-1], flush=True)
    async with db.session() as s:
        past_due = (await s.execute(text(
            "SELECT count(DISTINCT account_id) FROM ladder_steps"))).scalar_one()
        notices = (await s.execute(text("SELECT count(*) FROM notices"))).scalar_one()
    worst = max(runs, key=lambda r: r["seconds"])
    worst_ladder = max(runs, key=lambda r: r["ladder_s"])
    busiest = max(runs, key=lambda r: r["events"])
    figures.update({"accounts_on_the_ladder": past_due, "notices": notices,
                    "worst_day": worst, "worst_ladder_day": worst_ladder,
                    "busiest_day": busiest,
                    "mean_ladder_s": round(sum(r["ladder_s"] for r in runs) / len(runs), 2),
                    "mean_day_s": round(sum(r["seconds"] for r in runs) / len(runs), 2),
                    "days": runs})
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--start", type=date.fromisoformat, default=date(2026, 1, 2))
    ap.add_argument("--end", type=date.fromisoformat, default=date(2026, 3, 31))
    args = ap.parse_args()
    name = f"ladder_{args.accounts}" + ("" if args.start == date(2026, 1, 2) else "_first_run")
    run_on_fresh_database(name, lambda: bench(args.accounts, args.start, args.end))


if __name__ == "__main__":
    main()
