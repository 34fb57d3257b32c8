"""CPU per request of `GET /api/accounts/search` through the gateway, per process.

    python -m tests.perf.cpu_per_request --accounts 5000 --requests 3000 --rate 100

Wall-clock latency is noisy on a shared machine; CPU time is not. This starts its own embedded
PostgreSQL (the test harness), generates N accounts with the search benchmark's generator, starts
the gateway and the accounts service as uvicorn processes exactly as `bench_search` does,
sends the same authenticated search at a fixed arrival rate, and reads each process's user +
system CPU (`utime + stime` in /proc/<pid>/stat, children included for `--workers` > 1) before and
after. It prints CPU milliseconds per request for the gateway, the accounts service and the
PostgreSQL server, plus the latency seen by the client, and writes
tests/perf/results/cpu-per-request.json. With `--profile DIR` it also records py-spy stacks
(collapsed, `-f raw`) of both processes (py-spy must be installed; not a project dependency).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return out


def cpu_ms(pid: int) -> tuple[float, float]:
    """(user, system) CPU of `pid` and its live descendants, in milliseconds."""
    user = system = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            todo.extend(_children(p))
        except FileNotFoundError:
            continue
        user += int(fields[11]) * TICK_MS  # utime
        system += int(fields[12]) * TICK_MS  # stime
    return user, system


def db_sessions(admin_url: str) -> int:
    """Connections ever opened to the server (pg_stat_database.sessions, PostgreSQL >= 14)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        row = conn.execute("SELECT sum(sessions)::int FROM pg_stat_database").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def postmaster_pid(admin_url: str) -> int | None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute("SELECT current_setting('data_directory')").fetchone()
    pidfile = Path(row[0]) / "postmaster.pid" if row else None
    return int(pidfile.read_text().split()[0]) if pidfile and pidfile.exists() else None


async def load(url: str, headers: dict[str, str], q: str, requests: int,
               rate: float) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def one() -> None:
            nonlocal errors
            t0 = time.perf_counter()
            r = await client.get("/api/accounts/search", params={"q": q}, headers=headers)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += r.status_code != 200

        tasks = []
        start = time.perf_counter()
        for k in range(requests):
            delay = start + k / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    lat = sorted(latencies)
    return {"errors": errors, "p50_ms": round(statistics.median(lat), 2),
            "p95_ms": round(lat[int(len(lat) * 0.95) - 1], 2),
            "p99_ms": round(lat[int(len(lat) * 0.99) - 1], 2)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--q", default="maria alba", help="the search sent every time")
    parser.add_argument("--idle", type=float, default=5.0,
                        help="seconds without requests first, to show background CPU")
    parser.add_argument("--profile", type=Path, help="write py-spy stacks here")
    args = parser.parse_args()

    from tests import conftest as harness
    from tests.perf.bench_search import generate, start_processes

    procs: list[Any] = []
    try:
        await generate(harness.ADMIN_URL, args.accounts)
        import psycopg

        with psycopg.connect(harness.ADMIN_URL, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # or autovacuum lands inside the measured window
        pg = postmaster_pid(harness.ADMIN_URL)
        headers = {"Authorization": f"Bearer {harness.mint_token('csr1', minutes=60)}"}
        procs, url = start_processes(harness.ADMIN_URL, args.workers)
        accounts, gateway = procs
        await load(url, headers, args.q, 200, args.rate)  # warm up: pools, caches, imports
        spies = []
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            spy = shutil.which("py-spy") or "py-spy"
            spies = [subprocess.Popen(  # noqa: ASYNC220 - a background recorder
                [spy, "record", "-p", str(p.pid), "-o", str(args.profile / f"{n}.txt"),
                 "-f", "raw", "--nonblocking", "-r", "100"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL) for n, p in (("gateway", gateway),
                                                          ("accounts", accounts))]
            await asyncio.sleep(1)
        pids = {"gateway": gateway.pid, "accounts": accounts.pid}
        if pg:
            pids["postgres"] = pg
        idle_from = {n: cpu_ms(p) for n, p in pids.items()}
        await asyncio.sleep(args.idle)
        idle = {n: round((sum(cpu_ms(p)) - sum(idle_from[n])) / args.idle, 1)
                for n, p in pids.items()}
        sessions = db_sessions(harness.ADMIN_URL)
        before = {n: cpu_ms(p) for n, p in pids.items()}
        started = time.perf_counter()
        latency = await load(url, headers, args.q, args.requests, args.rate)
        elapsed = time.perf_counter() - started
        after = {n: cpu_ms(p) for n, p in pids.items()}
        await asyncio.sleep(1.5)  # statistics reach pg_stat_database when a backend idles
        sessions = db_sessions(harness.ADMIN_URL) - sessions
        for s in spies:
            s.send_signal(2)
            s.wait(30)
        per = {n: round((sum(after[n]) - sum(before[n])) / args.requests, 3) for n in pids}
        system = {n: round((after[n][1] - before[n][1]) / args.requests, 3) for n in pids}
        result = {"accounts": args.accounts, "requests": args.requests, "rate": args.rate,
                  "workers": args.workers, "q": args.q, "seconds": round(elapsed, 1),
                  "cpu_ms_per_request": per, "of_which_system_ms": system,
                  "idle_cpu_ms_per_second": idle,
                  "python_ms_per_request": round(per["gateway"] + per["accounts"], 3),
                  "database_connections_opened": sessions,
                  "latency": latency}
        print(json.dumps(result, indent=2))
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "cpu-per-request.json").write_text(json.dumps(result, indent=2))
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)
        if harness._PG is not None:
            harness._PG.stop()


if __name__ == "__main__":
    asyncio.run(main())
