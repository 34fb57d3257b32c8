"""Benchmark: the monthly aging report over N accounts from collections' copy.

    python -m tests.perf.bench_aging --accounts 100000

Same harness as bench_bill_run (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL, a
scratch database's admin URL; every service migrated). Collections' copy is seeded with N
accounts, each with a year of monthly bills and a payment after each, 20% of them leaving the
last six unpaid (and one in ten of those paying part), so every bucket has money in it. Then
the report is built as `GET /api/collections/reports/aging` builds it (one read of the
receivable, every account aged by the domain rule), and rendered as CSV and, at `--pdf-limit`
rows, as a PDF. Figures: seconds per step and accounts per second.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from tests.perf.harness import run_on_fresh_database

SEED = [
    """INSERT INTO customers (id, name) SELECT md5('c' || g)::uuid, 'Customer ' || g
       FROM generate_series(1, :n) g""",
    """INSERT INTO accounts (id, number, customer_id, status)
       SELECT md5('a' || g)::uuid, lpad((100000000 + g)::text, 9, '0'), md5('c' || g)::uuid,
              'active' FROM generate_series(1, :n) g""",
    """INSERT INTO bills (id, account_id, bill_date, due_date, total, status)
       SELECT md5('b' || g || '-' || m)::uuid, md5('a' || g)::uuid,
              (date '2026-03-01' + make_interval(months => m - 11))::date,
              (date '2026-03-22' + make_interval(months => m - 11))::date,
              40 + (g % 50) + m / 4.0, 'open'
       FROM generate_series(1, :n) g, generate_series(0, 11) m""",
    """INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, reference)
       SELECT md5('p' || g || '-' || m)::uuid, md5('a' || g)::uuid, 'payment',
              -(CASE WHEN g % 5 = 0 AND m >= 6 THEN
                       CASE WHEN g % 50 = 0 THEN round((40 + (g % 50) + m / 4.0) / 2, 2)
                            ELSE 0 END
                     ELSE 40 + (g % 50) + m / 4.0 END),
              (date '2026-03-18' + make_interval(months => m - 11))::date, 'p' || g || '-' || m
       FROM generate_series(1, :n) g, generate_series(0, 11) m""",
    "DELETE FROM ledger_entries WHERE amount = 0",
]


async def bench(n: int, pdf_limit: int) -> dict[str, Any]:
    import asyncpg
    from sqlalchemy import text

    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.collections.aging import report, service
    from services.collections.aging import repository as aging_repo
    from services.collections.reports import service as reports

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("collections")), "collections", settings,
                  "bench")
    figures: dict[str, Any] = {"accounts": n}
    t0 = time.perf_counter()
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
    # a year of history as autovacuum leaves it (statistics, visibility map, hint bits), as
    # the tables' owner (the service's role may not vacuum them)
    admin = await asyncpg.connect(settings.admin_dsn())
    try:
        await admin.execute("VACUUM ANALYZE")
    finally:
        await admin.close()
    async with db.session() as s:
        entries = (await s.execute(text("SELECT count(*) FROM receivable"))).scalar_one()
    figures.update({"entries": entries, "seed_s": round(time.perf_counter() - t0, 2)})
    as_of = date(2026, 3, 20)
    async with db.session() as s:
        t0 = time.perf_counter()
        rep = await service.aging_report(s, as_of)
        figures["report_s"] = round(time.perf_counter() - t0, 2)
        ledger = (await s.execute(text("SELECT sum(amount) FROM receivable"))).scalar_one()
    assert rep.totals.balance == ledger, (rep.totals.balance, ledger)
    figures.update({"accounts_per_s": round(n / figures["report_s"]),
                    "rows_with_balance": len(rep.rows), "total_balance": str(ledger),
                    "buckets": {k: str(v) for k, v in rep.totals.buckets.model_dump().items()}})
    async with db.session() as s:
        t0 = time.perf_counter()
        await aging_repo.aged_accounts(s, as_of)
        figures["statement_s"] = round(time.perf_counter() - t0, 2)
        # the month's report (aging at the month's opening and closing, and the roll)
        t0 = time.perf_counter()
        roll = await reports.aging_roll(s, "2026-03")
        figures["aging_roll_s"] = round(time.perf_counter() - t0, 2)
    assert roll.roll_forward.difference == 0, roll.roll_forward
    t0 = time.perf_counter()
    size = sum(len(c) for c in report.csv_chunks(rep))
    figures.update({"csv_s": round(time.perf_counter() - t0, 2), "csv_bytes": size})
    few = rep.model_copy(update={"rows": rep.rows[:pdf_limit]})
    t0 = time.perf_counter()
    pdf = report.pdf("Bench Water District", few)
    figures.update({"pdf_rows": len(few.rows), "pdf_s": round(time.perf_counter() - t0, 2),
                    "pdf_bytes": len(pdf)})
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--pdf-limit", type=int, default=20_000)
    args = ap.parse_args()
    run_on_fresh_database(f"aging_{args.accounts}", lambda: bench(args.accounts, args.pdf_limit))


if __name__ == "__main__":
    main()
