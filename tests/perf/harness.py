"""Shared by the benchmarks: a tuned embedded PostgreSQL of their own, migrated, and a place
to write results. Benchmarks generate their own data at a chosen scale."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def start_database() -> str:
    """Admin URL of a fresh, migrated database; sets the environment for child processes."""
    url = os.environ.get("BENCH_DATABASE_URL")
    data = Path(tempfile.mkdtemp(prefix="tapline-bench-"))
    os.environ.setdefault("TAPLINE_DATA_DIR", str(data))
    os.environ.setdefault("TAPLINE_LOG_LEVEL", "WARNING")
    if not url:
        from tapline.pgserver import EmbeddedPostgres, free_port

        pg = EmbeddedPostgres(data / "pg", free_port(), settings={
            "synchronous_commit": "off", "shared_buffers": "1GB", "work_mem": "64MB",
            "maintenance_work_mem": "512MB", "max_wal_size": "4GB"})
        pg.start()
        url = pg.admin_url()
        import atexit

        atexit.register(pg.stop)
    os.environ["TAPLINE_DATABASE_URL"] = url
    from kernel.keys import ensure_keys
    from kernel.settings import get_settings
    from tapline.bootstrap import migrate_all

    get_settings.cache_clear()
    settings = get_settings()
    ensure_keys(settings)
    migrate_all(settings)
    return url


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "mean": statistics.fmean(values) if values else 0.0,
            "n": len(values)}


def write_result(name: str, figures: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = {"benchmark": name, "at": datetime.now(UTC).isoformat(), "machine": {
        "cpus": os.cpu_count(), "python": platform.python_version()}, **figures}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(doc, indent=2, default=str))
    print(json.dumps(doc, indent=2, default=str))
    return path


def run_on_fresh_database(name: str, bench: Callable[[], Awaitable[dict[str, Any]]]) -> Path:
    """Run one benchmark on a database of its own (an embedded server tuned for throughput
    unless `TAPLINE_DATABASE_URL` names one), migrated first; print its figures and write them
    to `results/<name>.json`. The server is stopped whatever happens."""
    import asyncio

    url, pg = embedded_database()
    os.environ["TAPLINE_DATABASE_URL"] = url
    from kernel.settings import get_settings
    from tapline.bootstrap import migrate_all

    get_settings.cache_clear()
    try:
        migrate_all(get_settings())
        figures = asyncio.run(bench())
    finally:
        if pg is not None:
            pg.stop()
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written {out}")
    return out


def embedded_database() -> tuple[str, Any]:
    """`TAPLINE_DATABASE_URL` if set, else a fresh embedded server without durability (a
    benchmark's data is thrown away) and its admin URL."""
    url = os.environ.get("TAPLINE_DATABASE_URL")
    if url:
        return url, None
    from tapline.pgserver import EmbeddedPostgres, free_port

    tmp = Path(tempfile.mkdtemp(prefix="tapline-bench-"))
    os.environ["TAPLINE_DATA_DIR"] = str(tmp)
    pg = EmbeddedPostgres(tmp / "pg", free_port(), settings={
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        "work_mem": "64MB", "maintenance_work_mem": "256MB"})
    pg.start()
    return pg.admin_url("tapline"), pg


async def declare_types(settings: Any) -> None:
    """What every service's inbox processor does when it starts (a worker started by a
    benchmark does it itself): declare the types it handles, so the relay copies each only
    those."""
    import importlib

    from kernel.db import Database
    from kernel.inbox import declare_types as declare
    from kernel.settings import SERVICES, service_role

    for svc in SERVICES:
        db = Database(settings.role_dsn(service_role(svc)), svc, settings, "bench")
        try:
            await declare(db, importlib.import_module(f"services.{svc}.app").handlers())
        finally:
            await db.dispose()


def _start(args: list[str], name: str) -> subprocess.Popen[bytes]:
    log = Path(os.environ["TAPLINE_DATA_DIR"]) / f"bench-{name}.log"
    env = {**os.environ, "TAPLINE_LOG_LEVEL": "WARNING", "TAPLINE_RELAY_POLL_SECONDS": "0.2"}
    return subprocess.Popen([sys.executable, "-m", *args], env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


@asynccontextmanager
async def relay_and_worker(service: str) -> AsyncIterator[None]:
    """The relay and `service`'s worker as processes of their own, as in production, connected
    and listening when the block starts (their start-up is not measured); stopped after it."""
    procs = [_start(["relay"], "relay"), _start(["tapline.worker", service], service)]
    try:
        await asyncio.sleep(4)
        assert all(p.poll() is None for p in procs), "relay or worker died at startup"
        yield
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
