"""Benchmark: the end-of-day report on a day of N lockbox payments, every one tied out against
billing's ledger as payments' copy heard it.

    python -m tests.perf.bench_dayend --lines 20000

Same harness as bench_lockbox (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL).
A lockbox file of N checks is imported and posted, its events applied to billing's ledger,
billing's `LedgerEntryPosted` applied to payments' copy (as the relay and the two inbox
processors would), then `GET /api/payments/dayend` is built for the file's deposit date: the
measured figure is the report (JSON, PDF and CSV apart).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from tests.perf.harness import run_on_fresh_database

_RELAY = ("INSERT INTO {dst}.inbox (event_id, source, type, version, key, key_seq, payload, "
          "occurred_at) SELECT event_id, '{src}', type, version, key, key_seq, payload, "
          "occurred_at FROM {src}.outbox ON CONFLICT DO NOTHING")


async def bench(n: int, accounts: int) -> dict[str, Any]:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.inbox import InboxProcessor
    from kernel.settings import async_url, get_settings, service_role
    from services.billing.app import handlers as billing_handlers
    from services.payments.app import handlers as payments_handlers
    from services.payments.dayend import printed
    from services.payments.dayend import service as dayend
    from services.payments.lockbox import service as lockbox
    from services.payments.lockbox.sample import sample_accounts, sample_file

    settings = get_settings()
    pay = Database(settings.role_dsn(service_role("payments")), "payments", settings, "bench")
    bill = Database(settings.role_dsn(service_role("billing")), "billing", settings, "bench")
    numbers = sample_accounts(accounts)
    async with pay.session() as s:
        await s.execute(text(
            "INSERT INTO accounts (id, number, name, status) SELECT md5('a' || n)::uuid, n, "
            "'Customer ' || n, 'active' FROM unnest(CAST(:n AS text[])) n"), {"n": numbers})
        await s.commit()
    f = sample_file(n, accounts=numbers, file_id=f"DAYEND{n}")
    day = f.batches[0].deposit_date
    async with pay.session() as s:
        out = await lockbox.import_file(s, Principal("bench-tech", "billing_tech"), f.render())
        await s.commit()
    admin = create_async_engine(async_url(settings.admin_dsn()))
    async with admin.begin() as c:
        await c.execute(text(_RELAY.format(src="payments", dst="billing")))
    await InboxProcessor(bill, billing_handlers(), batch=settings.inbox_batch).drain()
    async with admin.begin() as c:
        await c.execute(text(_RELAY.format(src="billing", dst="payments")))
        await c.execute(text("ANALYZE"))
    await admin.dispose()
    await InboxProcessor(pay, payments_handlers(), batch=settings.inbox_batch).drain()

    figures: dict[str, Any] = {"payments": out.posted_count, "date": day.isoformat()}
    async with pay.session() as s:
        t0 = time.perf_counter()
        report = await dayend.report(s, day)
        figures["report_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    body = report.model_dump_json()
    figures["json_s"] = round(time.perf_counter() - t0, 3)
    figures["json_bytes"] = len(body)
    t0 = time.perf_counter()
    figures["pdf_bytes"] = len(printed.pdf(report))
    figures["pdf_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    figures["csv_bytes"] = len(printed.csv_text(report))
    figures["csv_s"] = round(time.perf_counter() - t0, 3)
    tie = report.tie_out.payments
    figures.update({"matched": tie.matched.count, "missing": tie.missing.count,
                    "differences": tie.differences_count, "balanced": report.tie_out.balanced,
                    "payments_per_s": round(out.posted_count / figures["report_s"])
                    if figures["report_s"] else None})
    assert tie.matched.count == out.posted_count and report.tie_out.balanced, figures
    await pay.dispose()
    await bill.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=20_000)
    ap.add_argument("--accounts", type=int, default=5_000)
    args = ap.parse_args()
    run_on_fresh_database(f"dayend_{args.lines}", lambda: bench(args.lines, args.accounts))


if __name__ == "__main__":
    main()
