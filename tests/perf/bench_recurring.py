"""Benchmark: the daily recurring-payments run over N schedules due the same day.

    python -m tests.perf.bench_recurring --schedules 5000 --latency 0.2

Same harness as bench_bill_run (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL).
Payments' copy is seeded with N accounts, each with a saved card and a monthly schedule on the
5th; the run for the 5th charges them all through the sandbox processor, whose every charge is
delayed by `--latency` seconds to stand for a real processor's round trip (Stripe: ~0.2-0.5 s).
Measured: the run (claims, charges, outcomes, one commit), then the same run again (it must
charge nothing: every occurrence is settled).
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from tests.perf.harness import run_on_fresh_database

DAY = date(2027, 3, 5)


async def bench(n: int, latency: float) -> dict[str, Any]:
    from sqlalchemy import text

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from kernel.webhooks import WebhookSecret
    from services.payments.processors.base import Charge, ChargeRequest
    from services.payments.processors.sandbox import SandboxProcessor
    from services.payments.recurring import service as recurring

    class SlowSandbox(SandboxProcessor):
        def charge(self, request: ChargeRequest) -> Charge:
            time.sleep(latency)
            return super().charge(request)

    settings = get_settings()
    pay = Database(settings.role_dsn(service_role("payments")), "payments", settings, "bench")
    async with pay.session() as s:
        await s.execute(text(
            "INSERT INTO accounts (id, number, name, status) SELECT md5('a' || g)::uuid, "
            "(300000000 + g)::text, 'Customer ' || g, 'active' FROM generate_series(1, :n) g"),
            {"n": n})
        await s.execute(text(
            "INSERT INTO saved_methods (id, account_id, processor, token, kind, display, "
            "is_default, status, saved_by, idempotency_key) SELECT md5('m' || g)::uuid, "
            "md5('a' || g)::uuid, 'sandbox', 'pm_card_visa', 'card', 'visa •••• 4242', true, "
            "'active', 'c' || g, 'k' FROM generate_series(1, :n) g"), {"n": n})
        await s.execute(text(
            "INSERT INTO recurring_schedules (id, account_id, method_id, kind, day_of_month, "
            "amount_rule, amount, start_on, status, created_by, idempotency_key) SELECT "
            "md5('s' || g)::uuid, md5('a' || g)::uuid, md5('m' || g)::uuid, 'monthly', 5, "
            "'fixed', 25.00, '2027-01-01', 'active', 'c' || g, 'k' FROM generate_series(1, :n) g"),
            {"n": n})
        await s.commit()
        await s.execute(text("ANALYZE"))
    processor = SlowSandbox([WebhookSecret.generate()])
    who = Principal("bench-jobs", "system")
    figures: dict[str, Any] = {"schedules": n, "processor_latency_s": latency,
                               "parallel": recurring.PARALLEL, "chunk": recurring.CHUNK}
    async with pay.session() as s:
        t0 = time.perf_counter()
        out, refs = await recurring.run(s, who, processor, DAY, 0)
        await s.commit()
        run_s = time.perf_counter() - t0
    assert len(refs) == n and all(i.outcome == "succeeded" for i in out.items)
    async with pay.session() as s:
        t0 = time.perf_counter()
        again, _ = await recurring.run(s, who, processor, DAY, 0)
        await s.commit()
        rerun_s = time.perf_counter() - t0
    assert again.items == []
    serial = n * latency
    figures.update({"charged": len(refs), "run_s": round(run_s, 2),
                    "charges_per_s": round(n / run_s), "rerun_s": round(rerun_s, 2),
                    "one_at_a_time_processor_s": round(serial, 1)})
    await pay.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schedules", type=int, default=5000)
    ap.add_argument("--latency", type=float, default=0.2)
    args = ap.parse_args()
    run_on_fresh_database(f"recurring_{args.schedules}",
                          lambda: bench(args.schedules, args.latency))


if __name__ == "__main__":
    main()
