"""Benchmark: a day of autopay for N bank enrolments: the run that schedules a debit per bill,
then the NACHA file that writes and posts them.

    python -m tests.perf.bench_autopay --accounts 5000

Same harness as bench_bill_run (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL, a
scratch database's admin URL; every service migrated). Payments' copy is seeded with N open
accounts, each with an open bill due in five days and its balance, and an active bank
enrolment (account number sealed with the bank key, prenote already aged). Then, as
`POST /autopay/run` and `POST /autopay/files` do it, each in one transaction: the run prices
and schedules N debits (and publishes N `AutopayDebitScheduled`), and the cut reviews them,
decrypts N account numbers, writes the file, posts N payments set-based and marks the debits
sent. Both are timed with their commit; the file is read back by achkit as a check. Then the
same N enrolments as new bank accounts: the next day's file of N prenotes, timed too.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta
from typing import Any

from tests.perf.harness import run_on_fresh_database

TODAY = date(2026, 12, 1)


async def bench(n: int) -> dict[str, Any]:
    import uuid

    import achkit
    from sqlalchemy import text

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from kernel.webhooks import WebhookSecret
    from services.payments.autopay import service
    from services.payments.processors.sandbox import SandboxProcessor

    settings = get_settings()
    pay = Database(settings.role_dsn(service_role("payments")), "payments", settings, "bench")
    ring = service.keyring(settings)
    ids = [uuid.uuid4() for _ in range(n)]
    t0 = time.perf_counter()
    tokens = [ring.encrypt(f"{1000000 + g:012d}", context=str(e)) for g, e in enumerate(ids)]
    seal_s = time.perf_counter() - t0
    due = TODAY + timedelta(days=5)
    async with pay.session() as s:
        await s.execute(text(
            "INSERT INTO accounts (id, number, name, status) SELECT md5('a' || g)::uuid, "
            "lpad((100000000 + g)::text, 9, '0'), 'Customer ' || g, 'active' "
            "FROM generate_series(1, :n) g"), {"n": n})
        await s.execute(text(
            "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) "
            "SELECT md5('b' || g)::uuid, md5('a' || g)::uuid, :bd, :due, 40 + g % 100, 'open' "
            "FROM generate_series(1, :n) g"), {"n": n, "bd": TODAY - timedelta(days=20),
                                               "due": due})
        await s.execute(text(
            "INSERT INTO balances (account_id, balance, as_of) SELECT md5('a' || g)::uuid, "
            "40 + g % 100, now() FROM generate_series(1, :n) g"), {"n": n})
        await s.execute(text(
            "INSERT INTO autopay_enrolments (id, account_id, method, status, display, "
            "holder_name, routing_number, account_type, account_token, account_hash, "
            "prenote_required, prenote_trace, prenote_effective_on, live_from, enrolled_on, "
            "enrolled_by) "
            "SELECT e.id, md5('a' || e.g)::uuid, 'bank', 'active', 'checking ****' || "
            "lpad((e.g % 10000)::text, 4, '0'), 'Customer ' || e.g, '121042882', 'checking', "
            "e.token, md5('h' || e.g), true, 'bench' || e.g, :old, :old, :old, 'bench' "
            "FROM unnest(CAST(:ids AS uuid[]), CAST(:tokens AS text[])) WITH ORDINALITY "
            "AS e(id, token, g)"), {"ids": ids, "tokens": tokens,
                                    "old": TODAY - timedelta(days=60)})
        await s.commit()
        await s.execute(text("ANALYZE"))
    who = Principal("bench-tech", "billing_tech")
    figures: dict[str, Any] = {"enrolments": n, "seal_s": round(seal_s, 2)}
    processor = SandboxProcessor([WebhookSecret.generate()])
    async with pay.session() as s:
        t0 = time.perf_counter()
        ran = await service.run(s, who, TODAY, processor)
        await s.commit()
        figures["run_s"] = round(time.perf_counter() - t0, 2)
    figures["scheduled"] = len(ran.scheduled)
    cut_on = TODAY + timedelta(days=2)
    async with pay.session() as s:
        t0 = time.perf_counter()
        cut = await service.cut_file(s, who, cut_on, None)
        await s.commit()
        figures["cut_s"] = round(time.perf_counter() - t0, 2)
    assert cut.file is not None
    figures.update({"debits_in_file": cut.file.debit_count, "total": str(cut.file.total),
                    "blocks": cut.file.block_count,
                    "debits_per_s_cut": round(cut.file.debit_count / figures["cut_s"]),
                    "debits_per_s_run": round(len(ran.scheduled) / figures["run_s"])})
    async with pay.session() as s:
        t0 = time.perf_counter()
        again = await service.cut_file(s, who, cut_on, None)
        figures["recut_s"] = round(time.perf_counter() - t0, 2)
        assert again.duplicate
        content, _ = await service.file_text(s, who, cut.file.id)
        await s.rollback()
    figures["achkit_ok"] = achkit.validate(content)["ok"]
    # N new bank accounts the next day: a file of N prenotes.
    async with pay.session() as s:
        await s.execute(text("UPDATE autopay_enrolments SET prenote_trace = NULL, "
                             "live_from = NULL"))
        await s.commit()
    async with pay.session() as s:
        t0 = time.perf_counter()
        prenotes = await service.cut_file(s, who, cut_on + timedelta(days=1), None)
        await s.commit()
        figures["prenote_cut_s"] = round(time.perf_counter() - t0, 2)
    assert prenotes.file is not None and prenotes.file.prenote_count == n
    await pay.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=5_000)
    args = ap.parse_args()
    run_on_fresh_database(f"autopay_{args.accounts}", lambda: bench(args.accounts))


if __name__ == "__main__":
    main()
