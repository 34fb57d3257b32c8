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


@pytest.fixture(scope="session")
def live_stack() -> Iterator[str]:
    """The stack the contract fuzzing runs against."""
    with running_stack() as base:
        yield base


@pytest.fixture(scope="module")
def fresh_stack() -> Iterator[str]:
    """A stack and database of its own, untouched by fuzzing, for workflow tests."""
    with running_stack() as base:
        yield base


@contextmanager
def running_stack(prepare: Callable[[str], None] | None = None) -> Iterator[str]:
    """`prepare` gets the new database's admin URL before any process starts (demo data)."""
    name = f"live_{uuid.uuid4().hex[:8]}"
    url = clone_database(name)
    if prepare is not None:
        prepare(url)
    ports = {c: free_port() for c in (*SERVICES, "relay", "nightly", "gateway")}
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
    apps["nightly"] = "nightly.app:create_app"
    apps["gateway"] = "gateway.app:create_app"
    logs = Path(os.environ["TAPLINE_DATA_DIR"]) / "live-logs"
    logs.mkdir(exist_ok=True)
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
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=2).json().get("status") == "ok":
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"live stack did not become healthy; logs in {logs}")
            time.sleep(0.3)
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
