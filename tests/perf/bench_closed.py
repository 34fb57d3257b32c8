"""Benchmark: closed accounts' daily step, the agency referral and the lien notices over N
accounts in collections' copy.

    python -m tests.perf.bench_closed --accounts 100000

Same harness as bench_aging. The copy is seeded with N accounts: one in five closed with an
unpaid closing bill (half of those with a customer who has another, active account: a transfer
is offered), every third account owning its premise (a parcel), one in seven of all with an
old unpaid bill. Then, as the daily job and staff would: the daily step on the day the cases
open (cases + letter 1 through notices), the same day again (nothing new), letter 2 a month
later, the referral a month after that, and the lien candidates, notices, the certified
list (and its PDF) and the daily release of paid liens. Figures: seconds
per step and rows each made.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from tests.perf.harness import run_on_fresh_database

SEED = [
    """INSERT INTO customers (id, name, mailing, phones)
       SELECT md5('c' || g)::uuid, 'Customer ' || g,
              jsonb_build_object('line1', g || ' Main St', 'city', 'Town'), '["+15305550100"]'
       FROM generate_series(1, :n) g""",
    # account g (g % 10 = 1) shares its customer with the closed account g - 1
    """INSERT INTO accounts (id, number, customer_id, status, closed_on, opened_on)
       SELECT md5('a' || g)::uuid, lpad((100000000 + g)::text, 9, '0'),
              md5('c' || CASE WHEN g % 10 = 1 THEN g - 1 ELSE g END)::uuid,
              CASE WHEN g % 5 = 0 THEN 'closed' ELSE 'active' END,
              CASE WHEN g % 5 = 0 THEN date '2026-03-01' END, date '2020-01-01'
       FROM generate_series(1, :n) g""",
    """INSERT INTO premises (id, kind, address, apn, owner_account_id)
       SELECT md5('p' || g)::uuid, 'single_family', jsonb_build_object('line1', g || ' Elm'),
              'APN-' || lpad(g::text, 8, '0'),
              CASE WHEN g % 3 = 0 THEN md5('a' || g)::uuid END
       FROM generate_series(1, :n) g""",
    """INSERT INTO service_agreements (id, account_id, premise_id, service, status)
       SELECT md5('s' || g)::uuid, md5('a' || g)::uuid, md5('p' || g)::uuid, 'water', 'active'
       FROM generate_series(1, :n) g""",
    """INSERT INTO bills (id, account_id, bill_date, due_date, total, status)
       SELECT md5('b' || g)::uuid, md5('a' || g)::uuid, date '2026-03-05', date '2026-03-26',
              50 + g % 100, 'open'
       FROM generate_series(1, :n) g WHERE g % 5 = 0""",
    """INSERT INTO bills (id, account_id, bill_date, due_date, total, status)
       SELECT md5('o' || g)::uuid, md5('a' || g)::uuid, date '2025-12-20', date '2026-01-15',
              150 + g % 100, 'open'
       FROM generate_series(1, :n) g WHERE g % 7 = 0 AND g % 5 <> 0""",
]


async def bench(n: int) -> dict[str, Any]:
    from sqlalchemy import text

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.collections.closed import service as closed
    from services.collections.liens import service as liens

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("collections")), "collections", settings,
                  "bench")
    who = Principal("bench", "supervisor")
    figures: dict[str, Any] = {"accounts": n}
    t0 = time.perf_counter()
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
        await s.execute(text("ANALYZE"))
    figures["seed_s"] = round(time.perf_counter() - t0, 2)

    async def step(name: str, fn: Any) -> Any:
        async with db.session() as s:
            t = time.perf_counter()
            out = await fn(s)
            await s.commit()
            figures[f"{name}_s"] = round(time.perf_counter() - t, 2)
            print(f"{name}: {figures[f'{name}_s']} s", flush=True)
            figures[name] = out
            return out

    await step("open_and_letter_1", lambda s: closed.run_daily(s, date(2026, 4, 5)))
    await step("same_day_again", lambda s: closed.run_daily(s, date(2026, 4, 5)))
    await step("letter_2", lambda s: closed.run_daily(s, date(2026, 5, 5)))
    ref = await step("referral", lambda s: closed.refer(s, who, date(2026, 6, 4)))
    figures["referral"] = {"accounts": ref.accounts, "total": str(ref.total)}
    csv = await step("referral_csv", lambda s: closed.referral_csv(s, ref.referral_id))
    figures["referral_csv"] = {"bytes": len(csv[1])}
    cand = await step("lien_candidates", lambda s: liens.candidates(s, date(2026, 6, 1), 2026))
    figures["lien_candidates"] = {"parcels": cand.parcels, "total": str(cand.total)}
    sent = await step("lien_notices", lambda s: liens.send_notices(s, who, date(2026, 6, 1),
                                                                   2026))
    figures["lien_notices"] = {"noticed": sent.noticed}
    lst = await step("lien_list", lambda s: liens.certify(s, who, date(2026, 7, 1), 2026))
    figures["lien_list"] = {"parcels": lst.parcels, "total": str(lst.total)}
    await step("lien_pdf", lambda s: liens.list_pdf(s, lst.list_id))
    figures["lien_pdf"] = "rendered"
    await step("lien_releases", lambda s: liens.run_daily(s, date(2026, 7, 2)))
    async with db.session() as s:
        figures["notices_rows"] = (await s.execute(text("SELECT count(*) FROM notices"))
                                   ).scalar_one()
        figures["outbox_rows"] = (await s.execute(text("SELECT count(*) FROM outbox"))
                                  ).scalar_one()
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=100_000)
    args = ap.parse_args()
    run_on_fresh_database(f"closed_{args.accounts}", lambda: bench(args.accounts))


if __name__ == "__main__":
    main()
