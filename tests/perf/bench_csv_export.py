"""CSV export benchmark: a run's bills streamed as CSV, as deployed, rows/s and peak memory.

    python -m tests.perf.bench_csv_export [--rows 1000000] [--direct]

Starts its own embedded PostgreSQL (the harness), generates one bill run of N bills (and
billing's copy of their accounts) set-based, starts the billing service and the gateway as
uvicorn processes and downloads `GET /api/billing/runs/{id}/bills?format=csv` through the
gateway, counting rows as they arrive. It does so at N/5 and at N: the peak resident memory of
each process (VmHWM) after each download shows whether memory stays flat as the list grows.
Writes tests/perf/results/csv-export-<N>.json. The issue's target: 1,000,000 rows at >= 50,000
rows/s with flat memory.

`--direct` also streams the same export in this process (`kernel.csvexport.csv_rows`, no HTTP),
the ceiling the HTTP figures compare with.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from tests.perf.harness import RESULTS, start_database

GENERATE = """
SET search_path = billing, public;
INSERT INTO accounts (id, number, name, status)
SELECT md5(%(tag)s || 'acct' || g)::uuid, lpad(g::text, 10, '0'), 'Customer ' || g, 'active'
FROM generate_series(1, %(n)s) g;
INSERT INTO bill_runs (id, cycle, period_start, period_end, bill_date, due_date, status,
                       created_by)
VALUES (%(run)s, %(tag)s, '2026-01-01', '2026-01-31', '2026-02-02', '2026-02-22', 'finalised',
        'bench');
INSERT INTO bills (id, run_id, account_id, period_start, period_end, bill_date, due_date,
                   status, total, flags)
SELECT md5(%(tag)s || 'bill' || g)::uuid, %(run)s, md5(%(tag)s || 'acct' || g)::uuid,
       '2026-01-01', '2026-01-31', '2026-02-02', '2026-02-22', 'final',
       round((20 + (g %% 9000) / 100.0)::numeric, 2),
       CASE WHEN g %% 50 = 0 THEN ARRAY['high_usage'] ELSE '{}'::text[] END
FROM generate_series(1, %(n)s) g;
ANALYZE accounts; ANALYZE bills;
"""


def generate(admin_url: str, rows: int) -> uuid.UUID:
    import psycopg

    run = uuid.uuid4()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for stmt in GENERATE.split(";\n"):
            if stmt.strip():
                conn.execute(stmt, {"n": rows, "run": run, "tag": str(run)})  # type: ignore[arg-type]
    return run


def vm_hwm_kb(pid: int) -> int:
    """Peak resident memory of a process and its children (uvicorn's worker), in KiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total = max(total, int(line.split()[1]))
    return total


def start_processes(admin_url: str) -> tuple[dict[str, subprocess.Popen[bytes]], str]:
    from tapline.pgserver import free_port, port_open

    gw_port, billing_port = free_port(), free_port()
    env = {**os.environ, "TAPLINE_DATABASE_URL": admin_url, "TAPLINE_LOG_LEVEL": "WARNING",
           "TAPLINE_SERVICE_URLS": json.dumps({"billing": f"http://127.0.0.1:{billing_port}"})}
    procs = {name: subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning", "--no-access-log"], env=env)
        for name, app, port in (("billing", "services.billing.app:create_app", billing_port),
                                ("gateway", "gateway.app:create_app", gw_port))}
    deadline = time.time() + 90
    while not (port_open(gw_port) and port_open(billing_port)):
        if time.time() > deadline:
            raise RuntimeError("processes did not start")
        time.sleep(0.2)
    time.sleep(1)
    return procs, f"http://127.0.0.1:{gw_port}"


def token() -> str:
    from kernel.auth import issue_access_token
    from kernel.keys import ensure_keys, private_key
    from kernel.settings import get_settings

    settings = get_settings()
    ensure_keys(settings)
    tok, _ = issue_access_token(private_key(settings), settings, "bench", "billing_tech",
                                "billing_tech", (), 60)
    return tok


async def download(base: str, run: uuid.UUID, headers: dict[str, str]) -> dict[str, Any]:
    import httpx

    rows, size = 0, 0
    first: float | None = None
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=600) as client, client.stream(
            "GET", f"/api/billing/runs/{run}/bills", params={"format": "csv"},
            headers=headers) as r:
        assert r.status_code == 200, await r.aread()
        async for chunk in r.aiter_bytes():
            if first is None:
                first = time.perf_counter() - started
            rows += chunk.count(b"\n")
            size += len(chunk)
    seconds = time.perf_counter() - started
    return {"rows": rows - 1, "seconds": round(seconds, 3),
            "rows_per_s": round((rows - 1) / seconds), "mb": round(size / 1e6, 1),
            "first_byte_s": round(first or 0.0, 3)}


async def direct(admin_url: str, run: uuid.UUID) -> dict[str, Any]:
    import resource
    import tracemalloc

    from kernel.csvexport import csv_rows
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from services.billing.runs.repository import run_bills_export

    settings = get_settings()
    db = Database(settings.role_dsn(service_role("billing")), "billing", settings, "bench")

    async def stream() -> tuple[int, float]:
        rows = 0
        started = time.perf_counter()
        async for chunk in csv_rows(db, run_bills_export(run, False)):
            rows += chunk.count(b"\n")
        return rows - 1, time.perf_counter() - started

    rows, seconds = await stream()  # timed without tracing
    tracemalloc.start()  # then once more, tracing Python's allocations (about 8x slower)
    await stream()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await db.dispose()
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds),
            "python_peak_alloc_mb": round(peak / 1e6, 1),
            "process_max_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--direct", action="store_true")
    args = parser.parse_args()
    admin_url = start_database()
    small = max(1, args.rows // 5)
    t0 = time.perf_counter()
    runs = {small: generate(admin_url, small), args.rows: generate(admin_url, args.rows)}
    gen_s = time.perf_counter() - t0
    procs, base = start_processes(admin_url)
    headers = {"Authorization": f"Bearer {token()}"}
    out: dict[str, Any] = {"rows": args.rows, "generate_s": round(gen_s, 1), "http": {}}
    try:
        baseline = {n: vm_hwm_kb(p.pid) // 1024 for n, p in procs.items()}
        out["peak_rss_mb_idle"] = baseline
        for n, run in runs.items():
            figures = await download(base, run, headers)
            figures["peak_rss_mb_after"] = {name: vm_hwm_kb(p.pid) // 1024
                                            for name, p in procs.items()}
            out["http"][str(n)] = figures
            print(n, figures, flush=True)
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            p.wait(30)
    if args.direct:
        out["direct"] = await direct(admin_url, runs[args.rows])
    big = out["http"][str(args.rows)]
    out["target"] = {"rows_per_s": 50_000, "met": big["rows_per_s"] >= 50_000}
    out["peak_rss_growth_mb_small_to_full"] = {
        name: big["peak_rss_mb_after"][name] - out["http"][str(small)]["peak_rss_mb_after"][name]
        for name in procs}
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"csv-export-{args.rows}.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    print(f"written {path}")


if __name__ == "__main__":
    asyncio.run(main())
