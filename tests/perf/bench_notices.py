"""Benchmark: a day of notices, from the queue to the print vendor's file.

    python -m tests.perf.bench_notices --notices 20000 --print 1000

Same harness as bench_aging (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL).
Collections' copy is seeded with N accounts (one premise each; one in five mailed elsewhere,
one in twenty a landlord's multi-unit premise, one in four Spanish-speaking). Then, as the
ladder and a clerk and two supervisors would: N shut-off notices queued in one call (with
their Occupant and tenant copies), the same queued again (nothing new), the day's batch
created, approved and released (every notice announced), and the print file rendered for the
first `--print` notices of the batch (and the manifest for all of them). Figures: seconds per
step, notices per second, pages and bytes of the print file.
"""

from __future__ import annotations

import argparse
import io
import resource
import time
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from tests.perf.harness import run_on_fresh_database

SEED = [
    """INSERT INTO customers (id, name, language)
       SELECT md5('c' || g)::uuid, 'Customer ' || g, CASE WHEN g % 4 = 0 THEN 'es' ELSE 'en' END
       FROM generate_series(1, :n) g""",
    """INSERT INTO accounts (id, number, customer_id, status, mailing)
       SELECT md5('a' || g)::uuid, lpad((100000000 + g)::text, 9, '0'), md5('c' || g)::uuid,
              'active', jsonb_build_object(
                  'line1', CASE WHEN g % 5 = 0 THEN 'PO Box ' || g ELSE g || ' Oak St' END,
                  'city', 'Riverbend', 'state', 'CA', 'postal_code', (95000 + g % 40)::text)
       FROM generate_series(1, :n) g""",
    """INSERT INTO premises (id, kind, dwelling_units, address, owner_account_id)
       SELECT md5('p' || g)::uuid,
              CASE WHEN g % 20 = 0 THEN 'multi_family' ELSE 'single_family' END,
              CASE WHEN g % 20 = 0 THEN 8 ELSE 1 END,
              jsonb_build_object('line1', g || ' Oak St', 'city', 'Riverbend', 'state', 'CA',
                                 'postal_code', (95000 + g % 40)::text),
              CASE WHEN g % 20 = 0 THEN md5('a' || g)::uuid END
       FROM generate_series(1, :n) g""",
    """INSERT INTO service_agreements (id, account_id, premise_id, service, status, start_date)
       SELECT md5('s' || g)::uuid, md5('a' || g)::uuid, md5('p' || g)::uuid, 'water',
              'active', date '2025-01-01' FROM generate_series(1, :n) g""",
]


async def bench(n: int, printed: int) -> dict[str, Any]:
    from sqlalchemy import text

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.collections.notices import letter, service
    from services.collections.notices import repository as repo
    from services.collections.notices.domain import NoticeRequest
    from services.collections.notices.manifest import rows as manifest_rows

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("collections")), "collections", settings,
                  "bench")
    figures: dict[str, Any] = {"notices_asked": n}
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
        await s.execute(text("ANALYZE"))
        ids = [uuid.UUID(r[0]) for r in (await s.execute(text(
            "SELECT id::text FROM accounts ORDER BY number"))).all()]
    today = date(2026, 5, 1)
    requests = [NoticeRequest(account_id=a, kind="shutoff_notice", reference=f"bench:{a}",
                              amount=Decimal("182.40"), action_on=date(2026, 5, 20))
                for a in ids]
    clerk = Principal(sub="bench-clerk", role="billing_tech")
    sup = Principal(sub="bench-supervisor", role="supervisor")

    async def step(name: str, fn: Any) -> Any:
        async with db.session() as s:
            t0 = time.perf_counter()
            out = await fn(s)
            await s.commit()
            figures[f"{name}_s"] = round(time.perf_counter() - t0, 3)
            return out

    figures["queued"] = await step("queue", lambda s: service.queue(
        s, requests, today=today, requested_by="ladder"))
    figures["notices_per_s"] = round(figures["queued"] / figures["queue_s"])
    figures["queued_again"] = await step("queue_again", lambda s: service.queue(
        s, requests, today=today, requested_by="ladder"))
    batch = await step("batch", lambda s: service.create_batch(s, clerk, today))
    figures["batch_notices"] = batch.notices
    await step("approve", lambda s: service.approve(s, sup, batch.id))
    await step("release", lambda s: service.release(s, clerk, batch.id, today))
    async with db.session() as s:
        figures["events"] = (await s.execute(text(
            "SELECT count(*) FROM outbox WHERE type = 'collections.NoticeReleased'"))
        ).scalar_one()
        t0 = time.perf_counter()
        notices = await repo.batch_notices(s, batch.id)
        figures["load_batch_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    size = sum(len(c) for c in manifest_rows(notices))
    figures.update({"manifest_s": round(time.perf_counter() - t0, 3), "manifest_bytes": size})
    few = notices[:printed]
    out = io.BytesIO()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    pages = letter.render_batch(few, service.district(), today, out)
    took = time.perf_counter() - t0
    figures["print_rss_growth_mb"] = round(
        (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024)
    figures.update({"print_notices": len(few),
                    "print_copies": sum(max(x.copies, 1) for x in few), "print_pages": pages,
                    "print_s": round(took, 2), "print_pages_per_s": round(pages / took),
                    "print_bytes": len(out.getvalue())})
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notices", type=int, default=20_000)
    ap.add_argument("--print", dest="printed", type=int, default=1_000)
    args = ap.parse_args()
    run_on_fresh_database(f"notices_{args.notices}",
                          lambda: bench(args.notices, args.printed))


if __name__ == "__main__":
    main()
