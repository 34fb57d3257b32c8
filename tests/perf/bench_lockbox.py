"""Benchmark: a lockbox file of N checks imported and posted, then applied to billing's ledger.

    python -m tests.perf.bench_lockbox --lines 100000

Same harness as bench_bill_run (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL, a
scratch database's admin URL; every service migrated). Payments' copy is seeded with open
accounts, a valid fixed-width file of N checks is rendered over them (1 in 200 misread, so
suspense is exercised), and the import runs as `POST /api/payments/lockbox/imports` does it:
read and classify in a worker thread, one INSERT of the payments, one set-based publish of
their `payments.PaymentPosted`, the suspense lines, one commit. That is the measured figure
(target: 20,000 payments/s). Then the events are copied into billing's inbox, as the relay
does, and billing's inbox processor applies them to the ledger: timed and reported apart.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from typing import Any

from tests.perf.bench_bill_run import RESULTS, _database

TARGET = 20_000


async def bench(n: int, accounts: int) -> dict[str, Any]:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.inbox import InboxProcessor
    from kernel.settings import async_url, get_settings, service_role
    from services.billing.app import handlers as billing_handlers
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
        await s.execute(text("ANALYZE"))
    f = sample_file(n, accounts=numbers, file_id=f"BENCH{n}")
    for b in range(0, len(f.batches), 2):  # a misread stub in every other batch of 250
        f = f.with_check(b, 1, account=f.batches[b].checks[0].account[:-1] + "X")
    content = f.render()
    figures: dict[str, Any] = {"lines": n, "accounts": accounts, "file_bytes": len(content)}

    t0 = time.perf_counter()
    parsed = lockbox.read(content)
    figures["parse_only_s"] = round(time.perf_counter() - t0, 2)
    del parsed

    who = Principal("bench-tech", "billing_tech")
    async with pay.session() as s:
        t0 = time.perf_counter()
        out = await lockbox.import_file(s, who, content)
        t1 = time.perf_counter()
        await s.commit()
        t2 = time.perf_counter()
    figures.update({"posted": out.posted_count, "suspense": out.suspense_count,
                    "import_s": round(t1 - t0, 2), "commit_s": round(t2 - t1, 2),
                    "import_post_s": round(t2 - t0, 2),
                    "payments_per_s": round(out.posted_count / (t2 - t0))})
    async with pay.session() as s:
        again_t = time.perf_counter()
        again = await lockbox.import_file(s, who, content)
        figures["reimport_s"] = round(time.perf_counter() - again_t, 2)
        assert again.duplicate and again.id == out.id
        await s.rollback()

    # the relay's part, in one statement: payments' outbox into billing's inbox
    t0 = time.perf_counter()
    admin = create_async_engine(async_url(settings.admin_dsn()))
    async with admin.begin() as c:
        await c.execute(text(
            "INSERT INTO billing.inbox (event_id, source, type, version, key, key_seq, payload, "
            "occurred_at) SELECT event_id, 'payments', type, version, key, key_seq, payload, "
            "occurred_at FROM payments.outbox ON CONFLICT DO NOTHING"))
    await admin.dispose()
    figures["relay_copy_s"] = round(time.perf_counter() - t0, 2)
    processor = InboxProcessor(bill, billing_handlers(), batch=settings.inbox_batch)
    t0 = time.perf_counter()
    applied = await processor.drain()
    apply_s = time.perf_counter() - t0
    async with bill.session() as s:
        entries = (await s.execute(text(
            "SELECT count(*) FROM ledger_entries WHERE kind = 'payment'"))).scalar_one()
    figures.update({"events_applied": applied, "ledger_entries": entries,
                    "billing_apply_s": round(apply_s, 2),
                    "ledger_entries_per_s": round(entries / apply_s) if apply_s else None,
                    "end_to_end_s": round(figures["import_post_s"] + figures["relay_copy_s"]
                                          + apply_s, 2),
                    "ratio_to_target": round(figures["payments_per_s"] / TARGET, 3)})
    await pay.dispose()
    await bill.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--accounts", type=int, default=20_000)
    args = ap.parse_args()
    url, pg = _database()
    os.environ["TAPLINE_DATABASE_URL"] = url
    from kernel.settings import get_settings
    from tapline.bootstrap import migrate_all

    get_settings.cache_clear()
    try:
        migrate_all(get_settings())
        figures = asyncio.run(bench(args.lines, args.accounts))
    finally:
        if pg is not None:
            pg.stop()
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"lockbox_{args.lines}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
