"""Benchmark: a lockbox file of N checks, from the file to every ledger entry in billing.

    python -m tests.perf.bench_lockbox --lines 100000 [--accounts 20000] [--profile]

Same harness as bench_bill_run (an embedded PostgreSQL of its own, or TAPLINE_DATABASE_URL, a
scratch database's admin URL; every service migrated). Payments' copy is seeded with open
accounts, a valid fixed-width file of N checks is rendered over them (1 in 200 misread, so
suspense is exercised). Then, end to end, as in production:

- the relay (`python -m relay`) and billing's inbox worker (`python -m tapline.worker billing`)
  run as processes of their own, idle and listening; every service has declared the event types
  it handles, as its inbox processor does when it starts, so the relay copies each only those
  (the other services' inboxes fill and are counted, `inbox_rows`, but nobody applies them);
- the import runs as `POST /api/payments/lockbox/imports` does it (read and classify in a worker
  thread, one INSERT of the payments, one set-based publish of their `payments.PaymentPosted`,
  the suspense lines, one commit): the **payments side**;
- the relay copies the events into billing's inbox and billing applies them (a `payment` entry
  and a `billing.LedgerEntryPosted` each): the **billing side**, from the import's commit until
  the last ledger entry is visible;
- **end to end**: from the file in to the last ledger entry.

Checked afterwards (outside the timings): one entry and one `LedgerEntryPosted` per posted
payment, each event's balance the account's running balance, nothing parked, and the same file
again a duplicate that posts nothing. `--profile` loads pg_stat_statements and reports the
statements that took the time (each side's SQL apart from its Python).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.perf.harness import declare_types, relay_and_worker

RESULTS = Path(__file__).parent / "results"
TARGET = 20_000


def _database(profile: bool) -> tuple[str, Any]:
    url = os.environ.get("TAPLINE_DATABASE_URL")
    if url:
        return url, None
    from tapline.pgserver import EmbeddedPostgres, free_port

    tmp = Path(tempfile.mkdtemp(prefix="tapline-bench-"))
    os.environ["TAPLINE_DATA_DIR"] = str(tmp)
    settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
                "work_mem": "64MB", "maintenance_work_mem": "256MB", "shared_buffers": "512MB"}
    if profile:
        settings.update({"shared_preload_libraries": "pg_stat_statements,auto_explain",
                         "pg_stat_statements.track": "all",
                         "auto_explain.log_min_duration": "50ms",
                         "auto_explain.log_analyze": "on"})
    pg = EmbeddedPostgres(tmp / "pg", free_port(), settings=settings)
    pg.start()
    return pg.admin_url("tapline"), pg


def _uptime() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "?"


async def _statements(conn: Any, schema_like: str, top: int = 8) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT s.calls, round(s.total_exec_time::numeric, 1) AS ms, s.rows, "
        "left(regexp_replace(s.query, '\\s+', ' ', 'g'), 140) AS query "
        "FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid "
        "WHERE r.rolname LIKE $1 ORDER BY s.total_exec_time DESC LIMIT $2", schema_like, top)
    return [dict(r) for r in rows]


async def _inbox_rows(admin: Any) -> dict[str, int]:
    """Rows the relay wrote into each service's inbox for the run (every inbox starts empty),
    counted once the relay has read every outbox to its end (after the timings)."""
    from kernel.settings import SERVICES

    deadline = time.perf_counter() + 600
    while time.perf_counter() < deadline:
        behind = 0
        for src in SERVICES:
            behind += await admin.fetchval(
                f'SELECT count(*) FROM relay.cursors c JOIN "{src}".outbox o '
                "ON (o.txid, o.id) > (c.last_txid, c.last_id) WHERE c.source = $1", src)
        if not behind:
            break
        await asyncio.sleep(0.2)
    return {svc: int(await admin.fetchval(f'SELECT count(*) FROM "{svc}".inbox'))
            for svc in SERVICES}


async def bench(n: int, accounts: int, profile: bool, floor: bool = False) -> dict[str, Any]:
    import asyncpg
    from sqlalchemy import text

    from kernel.auth import Principal
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.payments.lockbox import service as lockbox
    from services.payments.lockbox.sample import sample_accounts, sample_file

    settings = get_settings()
    pay = Database(settings.role_dsn(service_role("payments")), "payments", settings, "bench")
    admin = await asyncpg.connect(settings.admin_dsn())
    numbers = sample_accounts(accounts)
    async with pay.session() as s:
        await s.execute(text(
            "INSERT INTO accounts (id, number, name, status) SELECT md5('a' || n)::uuid, n, "
            "'Customer ' || n, 'active' FROM unnest(CAST(:n AS text[])) n"), {"n": numbers})
        await s.commit()
    await admin.execute("ANALYZE")
    f = sample_file(n, accounts=numbers, file_id=f"BENCH{n}")
    for b in range(0, len(f.batches), 2):  # a misread stub in every other batch of 250
        f = f.with_check(b, 1, account=f.batches[b].checks[0].account[:-1] + "X")
    content = f.render()
    figures: dict[str, Any] = {"lines": n, "accounts": accounts, "file_bytes": len(content),
                               "loadavg_before": _uptime()}

    t0 = time.perf_counter()
    parsed = lockbox.read(content)
    figures["parse_only_s"] = round(time.perf_counter() - t0, 3)
    del parsed

    await declare_types(settings)
    async with relay_and_worker("billing"):
        if profile:
            await admin.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            await admin.execute("SELECT pg_stat_statements_reset()")
        who = Principal("bench-tech", "billing_tech")
        async with pay.session() as s:
            t0 = time.perf_counter()
            out = await lockbox.import_file(s, who, content)
            t1 = time.perf_counter()
            await s.commit()
            t2 = time.perf_counter()
        posted = out.posted_count
        done = 0
        while done < posted:
            await asyncio.sleep(0.02)
            done = await admin.fetchval(
                "SELECT count(*) FROM billing.ledger_entries WHERE kind = 'payment'")
            if time.perf_counter() - t2 > 600:
                raise RuntimeError(f"billing stalled at {done} of {posted} entries")
        t3 = time.perf_counter()
        figures["loadavg_after"] = _uptime()
        if profile:
            figures["statements_payments"] = await _statements(admin, "%payments%")
            figures["statements_billing"] = await _statements(admin, "%billing%")
            figures["statements_relay"] = await _statements(admin, "%relay%", 4)
        figures["inbox_rows"] = await _inbox_rows(admin)  # not timed: the relay finishes

    windows = await admin.fetchrow(
        "SELECT extract(epoch FROM max(received_at) - min(received_at)) AS relay_s, "
        "extract(epoch FROM max(applied_at) - min(applied_at)) AS apply_s, "
        "count(*) FILTER (WHERE status <> 'applied') AS not_applied "
        "FROM billing.inbox WHERE type = 'payments.PaymentPosted'")
    figures.update({
        "posted": posted, "suspense": out.suspense_count,
        "import_s": round(t1 - t0, 3), "commit_s": round(t2 - t1, 3),
        "payments_side_s": round(t2 - t0, 3),
        "billing_side_s": round(t3 - t2, 3),
        "end_to_end_s": round(t3 - t0, 3),
        "relay_copy_window_s": round(float(windows["relay_s"] or 0), 3),
        "billing_apply_window_s": round(float(windows["apply_s"] or 0), 3),
        "payments_per_s": round(posted / (t2 - t0)),
        "billing_per_s": round(posted / (t3 - t2)),
        "end_to_end_per_s": round(posted / (t3 - t0)),
    })
    figures["ratio_to_target"] = round(figures["end_to_end_per_s"] / TARGET, 3)

    # what the run must have produced (not timed)
    check = await admin.fetchrow("""
        WITH ev AS (
            SELECT (payload->'entry'->>'account_id')::uuid AS account_id, key_seq,
                   (payload->'entry'->>'amount')::numeric AS amount,
                   (payload->>'balance')::numeric AS balance
            FROM billing.outbox WHERE type = 'billing.LedgerEntryPosted'
        ), run AS (
            SELECT balance, sum(amount) OVER (PARTITION BY account_id ORDER BY key_seq)
                   AS running FROM ev
        )
        SELECT (SELECT count(*) FROM ev) AS events,
               (SELECT count(*) FROM run WHERE balance <> running) AS wrong_balances,
               (SELECT count(DISTINCT reference) FROM billing.ledger_entries
                WHERE kind = 'payment') AS references,
               (SELECT count(*) FROM billing.inbox WHERE status = 'parked') AS parked""")
    assert check["events"] == posted, check
    assert check["references"] == posted, check
    assert check["wrong_balances"] == 0 and check["parked"] == 0, check
    assert windows["not_applied"] == 0, windows
    figures["checked"] = dict(check)
    async with pay.session() as s:
        t0 = time.perf_counter()
        again = await lockbox.import_file(s, who, content)
        figures["reimport_s"] = round(time.perf_counter() - t0, 3)
        assert again.duplicate and again.id == out.id
        await s.rollback()
    if floor:  # after the run and its checks: the floor's rows are rolled back
        from tests.perf.lockbox_floor import floor as write_floor

        figures["floor"] = await write_floor(admin, n, accounts)
        figures["floor"]["loadavg"] = _uptime()
    await admin.close()
    await pay.dispose()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--accounts", type=int, default=20_000)
    ap.add_argument("--profile", action="store_true",
                    help="pg_stat_statements: the statements that took the time")
    ap.add_argument("--floor", action="store_true",
                    help="then time the rows alone (tests/perf/lockbox_floor.py)")
    args = ap.parse_args()
    url, pg = _database(args.profile)
    os.environ["TAPLINE_DATABASE_URL"] = url
    os.environ.setdefault("TAPLINE_LOG_LEVEL", "WARNING")
    from kernel.keys import ensure_keys
    from kernel.settings import get_settings
    from tapline.bootstrap import migrate_all

    get_settings.cache_clear()
    try:
        ensure_keys(get_settings())
        migrate_all(get_settings())
        figures = asyncio.run(bench(args.lines, args.accounts, args.profile, args.floor))
    finally:
        if pg is not None:
            pg.stop()
    print(json.dumps(figures, indent=2, default=str))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"lockbox_{args.lines}.json"
    out.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
