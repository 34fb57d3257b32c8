"""Benchmark: billing's monthly reports over N accounts with a year of history.

    python -m tests.perf.bench_reports --accounts 100000     (the target: each report <= 5 s)
    python -m tests.perf.bench_reports --accounts 10000      (what a shared machine runs)

Same harness as bench_aging (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL, a
scratch database's admin URL; every service migrated). Billing's tables are seeded with N
accounts (single- and multi-family, commercial, irrigation; three meter sizes; sewer on most),
each with twelve monthly cycle bills (fixed, two tiers of water, sewer lines; the bill's total
the sum of its lines), a bill entry and a payment on the ledger for each, a read a month by
source, and a courtesy credit on one account in a hundred each month; in the last month one
account in a hundred is left unbilled and one in fifty used nothing. Payments' tables get a
payment a bill (five tenders) and payments' copy of the ledger's payment entries. Rows are
inserted in date order, as a district's tables grow (a run's bills and lines together, the
ledger day by day): the ledger's BRIN index on `posted_on` relies on that order.

Then each monthly report is built as its route builds it (`services.billing.reports.service`,
`services.payments.reports.service`) for that last month and rendered as CSV and PDF; the
money reports must tie to the ledger. Figures: seconds per report (query, CSV, PDF) and the
rows each returned, the yearly reports too, and the load average at the end.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from tests.perf.harness import run_on_fresh_database

_G = "generate_series(1, :n) g"
_M = "generate_series(0, 11) m"
_START = "(date '2025-03-01' + make_interval(months => m))::date"
_END = "((date '2025-03-01' + make_interval(months => m + 1))::date - 1)"
_BILL_DATE = "((date '2025-03-01' + make_interval(months => m + 1))::date + 1 + (g % 4) * 5)"
_USE = "CASE WHEN m = 11 AND g % 50 = 1 THEN 0 ELSE (g * 7 + m * 13) % 30 END"
_BILLED = "NOT (m = 11 AND g % 100 = 0)"

SEED = [
    f"INSERT INTO customers (id, name) SELECT md5('c' || g)::uuid, 'Customer ' || g FROM {_G}",
    f"""INSERT INTO accounts (id, number, customer_id, name, status)
        SELECT md5('a' || g)::uuid, lpad((100000000 + g)::text, 9, '0'), md5('c' || g)::uuid,
               'Customer ' || g, 'active' FROM {_G}""",
    f"""INSERT INTO premises (id, kind, dwelling_units, cycle, route)
        SELECT md5('p' || g)::uuid,
               CASE WHEN g % 20 < 14 THEN 'single_family' WHEN g % 20 < 17 THEN 'multi_family'
                    WHEN g % 20 < 19 THEN 'commercial' ELSE 'irrigation' END,
               CASE WHEN g % 20 BETWEEN 14 AND 16 THEN 4 ELSE 1 END,
               'C' || (g % 4 + 1), 'R' || (g % 40) FROM {_G}""",
    f"""INSERT INTO meters (id, serial, size, dials, status, premise_id, installed_at)
        SELECT md5('m' || g)::uuid, 'M' || g,
               CASE WHEN g % 10 < 7 THEN '5/8' WHEN g % 10 < 9 THEN '3/4' ELSE '1' END, 4,
               'installed', md5('p' || g)::uuid, date '2020-01-01' FROM {_G}""",
    f"""INSERT INTO service_agreements (id, account_id, premise_id, service, rate_class,
                                        meter_id, start_date, status)
        SELECT md5('sw' || g)::uuid, md5('a' || g)::uuid, md5('p' || g)::uuid, 'water',
               CASE WHEN g % 20 < 14 THEN 'RES' WHEN g % 20 < 17 THEN 'MFR'
                    WHEN g % 20 < 19 THEN 'COM' ELSE 'IRR' END,
               md5('m' || g)::uuid, date '2020-01-01', 'active' FROM {_G}
        UNION ALL
        SELECT md5('ss' || g)::uuid, md5('a' || g)::uuid, md5('p' || g)::uuid, 'wastewater',
               CASE WHEN g % 20 < 17 THEN 'RES' ELSE 'COM' END, md5('m' || g)::uuid,
               date '2020-01-01', 'active' FROM {_G} WHERE g % 20 < 19""",
    f"""INSERT INTO bill_runs (id, cycle, period_start, period_end, bill_date, due_date,
                               status, kind, created_by, approved_by, finalised_by)
        SELECT md5('r' || g || '-' || m)::uuid, 'C' || (g % 4 + 1), {_START}, {_END},
               {_BILL_DATE}, {_BILL_DATE} + 21, 'finalised', 'cycle', 'tina', 'sam', 'pat'
        FROM generate_series(0, 3) g, {_M}""",
    f"""INSERT INTO bill_lines (bill_id, sa_id, service, rate_class, kind, description,
                                seg_start, seg_end, quantity, unit_price, tier, amount)
        SELECT md5('b' || g || '-' || m)::uuid, md5(x.sa || g)::uuid, x.service, r.rc,
               x.kind, x.kind, {_START}, {_END}, x.q, x.price, x.tier, round(x.q * x.price, 2)
        FROM {_G}, {_M}, LATERAL (VALUES
            ('sw', 'water', 'fixed', NULL::int, 1::numeric, 20.00 + (g % 10) * 1.5),
            ('sw', 'water', 'volume', 1, least({_USE}, 10)::numeric, 3.12),
            ('sw', 'water', 'volume', 2, greatest({_USE} - 10, 0)::numeric, 4.05),
            ('ss', 'wastewater', 'fixed', NULL, 1::numeric, 22.75),
            ('ss', 'wastewater', 'volume', 1, least({_USE}, 15)::numeric, 5.40)
        ) AS x(sa, service, kind, tier, q, price),
        LATERAL (SELECT CASE WHEN x.service = 'water' THEN
                   CASE WHEN g % 20 < 14 THEN 'RES' WHEN g % 20 < 17 THEN 'MFR'
                        WHEN g % 20 < 19 THEN 'COM' ELSE 'IRR' END
                 ELSE CASE WHEN g % 20 < 17 THEN 'RES' ELSE 'COM' END END AS rc) r
        WHERE {_BILLED} AND (x.service = 'water' OR g % 20 < 19)
          AND (x.kind = 'fixed' OR x.tier = 1 OR x.q > 0)
        ORDER BY m, g % 4, g""",
    f"""INSERT INTO bills (id, run_id, account_id, period_start, period_end, bill_date,
                           due_date, status, total)
        SELECT md5('b' || g || '-' || m)::uuid, md5('r' || (g % 4) || '-' || m)::uuid,
               md5('a' || g)::uuid, {_START}, {_END}, {_BILL_DATE}, {_BILL_DATE} + 21,
               'final', t.total
        FROM {_G}, {_M}
        JOIN LATERAL (SELECT sum(amount) AS total FROM bill_lines
                      WHERE bill_id = md5('b' || g || '-' || m)::uuid) t ON true
        WHERE {_BILLED} ORDER BY m, g % 4, g""",
    f"""INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, due_date,
                                   reference, created_by)
        SELECT * FROM (
          SELECT gen_random_uuid(), account_id, 'bill', total, bill_date, due_date, id::text,
                 'pat' FROM bills
          UNION ALL
          SELECT gen_random_uuid(), account_id, 'payment', -total, bill_date + 15, NULL,
                 'p' || id, 'payments' FROM bills
          UNION ALL
          SELECT md5('adj' || g || '-' || m)::uuid, md5('a' || g)::uuid, 'adjustment', -5.00,
                 {_BILL_DATE} + 3, NULL, 'adjustment:' || g || '-' || m, 'sam'
          FROM {_G}, {_M} WHERE g % 100 = 7) x(id, account_id, kind, amount, posted_on,
                                                due_date, reference, created_by)
        ORDER BY posted_on""",
    """INSERT INTO adjustments (id, account_id, amount, reason_code, reason, status,
                               requested_by, requested_role, approved_by, entry_id)
       SELECT gen_random_uuid(), account_id, amount, 'courtesy', 'bench', 'posted', 'tina',
              'billing_tech', 'sam', id FROM ledger_entries WHERE kind = 'adjustment'""",
    f"""INSERT INTO reads (id, meter_id, read_on, value, usage, days, source, kind, status,
                           created_by)
        SELECT md5('rd' || g || '-' || m)::uuid, md5('m' || g)::uuid, {_END},
               1000 + m * 30 + {_USE}, {_USE}, {_END} - {_START} + 1,
               CASE g % 10 WHEN 0 THEN 'field' WHEN 1 THEN 'customer' ELSE 'api' END,
               CASE WHEN g % 25 = 0 THEN 'estimated' ELSE 'actual' END, 'valid', 'bench'
        FROM {_G}, {_M} ORDER BY m, g""",
]

# Payments' side of the same history: a payment a bill, received 15 days after it (the tender
# by account), keyed in one mail batch a day, and payments' copy of billing's payment entries.
PAYMENTS_SEED = [
    """INSERT INTO batches (id, keyed_by, received_on, control_total, control_count, status)
       SELECT md5('batch' || d::date)::uuid, 'tina', d::date, 1, 1, 'posted'
       FROM generate_series(date '2025-03-01', date '2026-06-30', interval '1 day') d""",
    f"""INSERT INTO payments (id, account_id, account_number, amount, tender, check_number,
                              received_on, channel, batch_id, status, taken_by,
                              idempotency_key, posted_at)
        SELECT md5('pay' || g || '-' || m)::uuid, md5('a' || g)::uuid,
               lpad((100000000 + g)::text, 9, '0'), 30.00 + g % 70,
               (ARRAY['cash', 'check', 'money_order', 'card', 'bank'])[g % 5 + 1],
               CASE WHEN g % 5 = 1 THEN 'C' || g END, {_BILL_DATE} + 15, 'mail',
               md5('batch' || ({_BILL_DATE} + 15))::uuid, 'posted', 'tina',
               'bench-' || g || '-' || m, now()
        FROM {_G}, {_M} WHERE {_BILLED} ORDER BY m, {_BILL_DATE}, g""",
    """INSERT INTO ledger_payment_entries (entry_id, account_id, kind, amount, posted_on,
                                          reference, posted_at)
       SELECT id::text, account_id::text, 'payment', -amount, received_on, id::text, now()
       FROM payments ORDER BY received_on""",
]

MONTH, YEAR = "2026-03", "2025"  # the last month's bills post in March
READ_MONTH = "2026-02"  # and its reads are taken at the end of February
MONTHLY = ("billed-consumption", "bills-and-credits", "unbilled", "reads-by-source",
           "conservation")


def _backend_cpu_s(pid: int) -> float | None:
    """CPU seconds a local server's backend has used (user + system), None if not local."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def timed(s: Any, build: Any, period: str) -> tuple[Any, float, float | None]:
    """A report built twice on one session (the first warms the cache as an earlier request
    would), the second timed: the report, wall seconds, and the backend's CPU seconds (the
    figure a busy shared machine disturbs least)."""
    from sqlalchemy import text

    pid = (await s.execute(text("SELECT pg_backend_pid()"))).scalar_one()
    await build(s, period)
    c0 = _backend_cpu_s(pid)
    t0 = time.perf_counter()
    rep = await build(s, period)
    wall = time.perf_counter() - t0
    c1 = _backend_cpu_s(pid)
    return rep, wall, round(c1 - c0, 2) if c0 is not None and c1 is not None else None


async def bench(n: int) -> dict[str, Any]:
    import asyncpg
    from sqlalchemy import text

    from kernel.db import Database
    from kernel.reporttable import to_csv, to_pdf
    from kernel.settings import get_settings, service_role
    from services.billing.reports import report, service

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("billing")), "billing", settings, "bench")
    figures: dict[str, Any] = {"accounts": n, "month": MONTH}
    t0 = time.perf_counter()
    async with db.session() as s:
        for stmt in SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
    pay_db = Database(settings.role_dsn(service_role("payments")), "payments", settings,
                      "bench")
    async with pay_db.session() as s:
        for stmt in PAYMENTS_SEED:
            await s.execute(text(stmt), {"n": n})
        await s.commit()
    # a year of history as autovacuum leaves it (statistics, visibility map, the ledger's BRIN
    # ranges summarised), as the tables' owner (the service's role may not vacuum them)
    admin = await asyncpg.connect(settings.admin_dsn())
    try:
        await admin.execute("VACUUM ANALYZE")
    finally:
        await admin.close()
    async with db.session() as s:
        figures["rows"] = {t: (await s.execute(text(
            f"SELECT count(*) FROM {t}"))).scalar_one()  # noqa: S608 - fixed names
            for t in ("bills", "bill_lines", "ledger_entries", "reads")}
    figures["seed_s"] = round(time.perf_counter() - t0, 2)
    builders: dict[str, Any] = {
        "billed-consumption": (service.billed, report.billed_table),
        "bills-and-credits": (service.bills_and_credits, report.entries_table),
        "unbilled": (service.unbilled, report.unbilled_table),
        "reads-by-source": (service.reads, report.reads_table),
        "conservation": (service.conservation, report.conservation_table),
        "connections": (service.connections, report.connections_table),
        "water-delivered": (service.water_delivered, report.delivered_table),
    }
    out: dict[str, Any] = {}
    for name, (build, table) in builders.items():
        period = YEAR if name not in MONTHLY else READ_MONTH if name == "reads-by-source" \
            else MONTH
        async with db.session() as s:
            rep, q, cpu = await timed(s, build, period)
        t0 = time.perf_counter()
        t = table(rep)
        csv_bytes = len(to_csv(t))
        c = time.perf_counter() - t0
        t0 = time.perf_counter()
        pdf_bytes = len(to_pdf("Bench Water District", t))
        p = time.perf_counter() - t0
        tie = getattr(rep, "tie", None)
        if tie is not None:
            assert tie.difference == 0, (name, tie)
        out[name] = {"query_s": round(q, 3), "query_db_cpu_s": cpu, "csv_s": round(c, 3),
                     "pdf_s": round(p, 3),
                     "total_s": round(q + c + p, 3), "rows": len(t.rows),
                     "csv_bytes": csv_bytes, "pdf_bytes": pdf_bytes,
                     **({"ties_to_ledger": str(tie.ledger)} if tie is not None else {})}
    from services.payments.reports import report as pay_report
    from services.payments.reports import service as pay_service

    async with pay_db.session() as s:
        receipts, q, cpu = await timed(s, pay_service.receipts_by_tender, MONTH)
    assert receipts.ledger.receipts_less_ledger == 0, receipts.ledger
    t0 = time.perf_counter()
    t = pay_report.receipts_table(receipts)
    csv_bytes = len(to_csv(t))
    c = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf_bytes = len(to_pdf("Bench Water District", t))
    p = time.perf_counter() - t0
    out["payments/receipts-by-tender"] = {
        "query_s": round(q, 3), "query_db_cpu_s": cpu, "csv_s": round(c, 3),
        "pdf_s": round(p, 3), "total_s": round(q + c + p, 3), "rows": len(t.rows),
        "csv_bytes": csv_bytes,
        "pdf_bytes": pdf_bytes, "receipts": receipts.total.receipts,
        "ties_to_ledger": str(receipts.ledger.payments)}
    await pay_db.dispose()
    figures["reports"] = out
    figures["slowest_monthly_s"] = max(out[k]["total_s"] for k in (
        *MONTHLY, "payments/receipts-by-tender"))
    figures["load_average"] = os.getloadavg()
    await db.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=100_000)
    args = ap.parse_args()
    run_on_fresh_database(f"reports_{args.accounts}", lambda: bench(args.accounts))


if __name__ == "__main__":
    main()
