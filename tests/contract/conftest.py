"""A live Tapline — every process started as `make run` starts them — on a database of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from kernel.settings import SERVICES
from tapline.pgserver import free_port
from tests.conftest import clone_database, drop_database


@pytest.fixture(scope="module")
def live_stack() -> Iterator[str]:
    """The stack the contract fuzzing runs against, stopped after its module: its processes'
    transactions would otherwise hold back every later test's relay horizon (transaction ids
    are the server's, not a database's) for the rest of the run."""
    with running_stack() as base:
        yield base


@pytest.fixture(scope="module")
def fresh_stack() -> Iterator[str]:
    """A stack and database of its own, untouched by fuzzing, for workflow tests."""
    with running_stack() as base:
        yield base


@contextmanager
def running_stack(prepare: Callable[[str], None] | None = None, *,
                  clone: Callable[[str], str] = clone_database, nightly: bool = True,
                  seconds: float = 120.0) -> Iterator[str]:
    """`prepare` gets the new database's admin URL before any process starts (logins);
    `clone` makes the database (`clone_demo_database` for the demo district)."""
    name = f"live_{uuid.uuid4().hex[:8]}"
    url = clone(name)
    if prepare is not None:
        prepare(url)
    parts = (*SERVICES, "relay", *(("nightly",) if nightly else ()), "gateway")
    ports = {c: free_port() for c in parts}
    env = {
        **os.environ,
        "TAPLINE_DATABASE_URL": url,
        "TAPLINE_SERVICE_URLS": json.dumps(
            {c: f"http://127.0.0.1:{p}" for c, p in ports.items() if c != "gateway"}),
        "TAPLINE_LOG_LEVEL": "WARNING",
        "TAPLINE_LOGIN_MAX_FAILURES": "1000",
        "TAPLINE_NIGHTLY_GATEWAY_URL": f"http://127.0.0.1:{ports['gateway']}",
    }
    apps = {s: f"services.{s}.app:create_app" for s in SERVICES}
    apps["relay"] = "relay.app:create_app"
    if nightly:
        apps["nightly"] = "nightly.app:create_app"
    apps["gateway"] = "gateway.app:create_app"
    logs = Path(os.environ["TAPLINE_DATA_DIR"]) / f"live-logs-{name}"
    logs.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--factory", "--port", str(ports[c]),
             "--no-access-log"],
            env=env, stdout=(logs / f"{c}.log").open("wb"), stderr=subprocess.STDOUT,
        )
        for c, app in apps.items()
    ]
    base = f"http://127.0.0.1:{ports['gateway']}"
    try:
        _wait_healthy(base, dict(zip(apps, procs, strict=True)), logs, seconds)
        yield base
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        drop_database(name)


def _wait_healthy(base: str, procs: dict[str, subprocess.Popen[bytes]], logs: Path,
                  seconds: float = 120) -> None:
    """Until `/api/health` says ok; a process that exits, or a stack still not ok after
    `seconds` (a loaded machine starts eight Python processes slowly), fails with what the
    health check last said and the end of each process's log."""
    deadline, last = time.monotonic() + seconds, "no answer yet"
    while True:
        try:
            r = httpx.get(f"{base}/api/health", timeout=10)
            if r.json().get("status") == "ok":
                return
            last = r.text
        except (httpx.HTTPError, ValueError) as e:
            last = repr(e)
        exited = [c for c, p in procs.items() if p.poll() is not None]
        if exited or time.monotonic() > deadline:
            tails = "\n".join(f"--- {c}.log\n" + (logs / f"{c}.log").read_text(
                errors="replace")[-1500:] for c in procs)
            raise RuntimeError(f"live stack did not become healthy (exited: {exited}); "
                               f"health said: {last[:2000]}\n{tails}")
        time.sleep(0.3)
