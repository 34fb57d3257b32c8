"""Benchmark: one text-to-pay balance run over N registered phones.

    python -m tests.perf.bench_texttopay --phones 20000 --latency-ms 100

Same harness as bench_bill_run (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL, a
scratch database's admin URL; every service migrated). Payments' copy is seeded with N open
accounts owing money on an open bill, each with an active text-to-pay enrolment; then
`POST /texttopay/balance-messages` runs as the route runs it (`service.balance_messages`),
against the sandbox SMS provider made to answer each send after `--latency-ms` (Twilio's API
answers in about 100 ms), and again the same day (it must text nobody). Figures: seconds and
texts per second.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import date
from typing import Any

from tests.perf.harness import run_on_fresh_database

SEED = [
    """INSERT INTO accounts (id, number, customer_id, status, cash_only, name)
       SELECT md5('a' || g)::uuid, lpad((100000000 + g)::text, 9, '0'), NULL, 'active', false,
              'Customer ' || g FROM generate_series(1, :n) g""",
    """INSERT INTO balances (account_id, balance, as_of)
       SELECT md5('a' || g)::uuid, 20 + (g % 80), now() FROM generate_series(1, :n) g""",
    """INSERT INTO bills (id, account_id, bill_date, due_date, total, status)
       SELECT md5('b' || g)::uuid, md5('a' || g)::uuid, date '2026-03-01', date '2026-03-22',
              20 + (g % 80), 'open' FROM generate_series(1, :n) g""",
    """INSERT INTO texttopay_enrolments (id, account_id, phone, method_token, method_kind,
              method_display, status, code_hash, code_expires_at, requested_by,
              requested_role, confirmed_at, confirmed_by)
       SELECT md5('e' || g)::uuid, md5('a' || g)::uuid,
              '+1541' || (2000000 + g)::text, 'pm_card_visa', 'card', 'visa •••• 4242',
              'active', 'x', now(), 'bench', 'csr1', now(), 'code'
       FROM generate_series(1, :n) g""",
]


async def bench(n: int, latency_ms: int) -> dict[str, Any]:
    from sqlalchemy import text

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from kernel.sms.sandbox import SandboxSms
    from kernel.webhooks import WebhookSecret
    from services.payments.processors.sandbox import SandboxProcessor
    from services.payments.texttopay import service
    from services.payments.texttopay.domain import Voice
    from services.payments.texttopay.service import Texting

    class SlowSandbox(SandboxSms):
        async def send(self, to: str, body: str, *,
                       status_callback: str | None = None) -> Any:
            await asyncio.sleep(latency_ms / 1000)
            return await super().send(to, body, status_callback=status_callback)

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("payments")), "payments", settings, "bench")
    figures: dict[str, Any] = {"phones": n, "latency_ms": latency_ms,
                               "concurrency": service.SEND_CONCURRENCY}
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
        await s.execute(text("ANALYZE"))
    sms = SlowSandbox()
    t = Texting(sms, SandboxProcessor([WebhookSecret.generate()]),
                Voice("Bench Water District", "(555) 010-0100"), 3, 60)
    who, today = Principal("bench-tech", "billing_tech"), date(2026, 3, 2)
    for label in ("run", "rerun"):
        async with db.session() as s:
            t0 = time.perf_counter()
            out = await service.balance_messages(s, who, t, today)
            await s.commit()
            took = time.perf_counter() - t0
        figures[f"{label}_s"] = round(took, 2)
        figures[f"{label}_sent"] = out.sent
        if label == "run":
            figures["texts_per_s"] = round(out.sent / took)
    assert figures["run_sent"] == n == len(sms.outbox), figures
    assert figures["rerun_sent"] == 0, figures
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--phones", type=int, default=20_000)
    ap.add_argument("--latency-ms", type=int, default=100)
    args = ap.parse_args()
    run_on_fresh_database(f"texttopay_{args.phones}_{args.latency_ms}ms",
                          lambda: bench(args.phones, args.latency_ms))


if __name__ == "__main__":
    main()
