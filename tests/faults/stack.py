"""Every Tapline process, started as `make run` starts them, against a database of the test's
choosing (a clone on the shared server, or a server of the test's own that it may restart)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kernel.settings import SERVICES
from tapline.pgserver import EmbeddedPostgres, free_port

COMPONENTS = (*SERVICES, "relay", "gateway")


@dataclass
class Stack:
    base: str
    ports: dict[str, int]
    procs: dict[str, subprocess.Popen[bytes]]
    logs: Path

    def url(self, component: str) -> str:
        return f"http://127.0.0.1:{self.ports[component]}"

    def health(self) -> tuple[int, dict[str, Any]]:
        r = httpx.get(f"{self.base}/api/health", timeout=10)
        return r.status_code, r.json()

    def wait_health(self, want: str, seconds: float = 60.0) -> dict[str, Any]:
        """Poll `/api/health` until its status is `want`; the last body otherwise."""
        deadline = time.monotonic() + seconds
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                _, body = self.health()
                if body.get("status") == want:
                    return body
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        raise AssertionError(f"/api/health never became {want!r}: {body}; logs in {self.logs}")

    def alive(self) -> dict[str, bool]:
        return {name: p.poll() is None for name, p in self.procs.items()}


@contextmanager
def running_stack(admin_url: str, env: dict[str, str] | None = None) -> Iterator[Stack]:
    ports = {c: free_port() for c in COMPONENTS}
    full_env = {
        **os.environ,
        "TAPLINE_DATABASE_URL": admin_url,
        "TAPLINE_SERVICE_URLS": json.dumps(
            {c: f"http://127.0.0.1:{p}" for c, p in ports.items() if c != "gateway"}),
        "TAPLINE_LOG_LEVEL": "WARNING",
        "TAPLINE_RELAY_POLL_SECONDS": "0.2",
        **(env or {}),
    }
    apps = {s: f"services.{s}.app:create_app" for s in SERVICES}
    apps["relay"] = "relay.app:create_app"
    apps["gateway"] = "gateway.app:create_app"
    logs = Path(os.environ["TAPLINE_DATA_DIR"]) / f"faults-logs-{uuid.uuid4().hex[:6]}"
    logs.mkdir(parents=True)
    procs = {
        c: subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--factory", "--port", str(ports[c]),
             "--no-access-log"],
            env=full_env, stdout=(logs / f"{c}.log").open("wb"), stderr=subprocess.STDOUT,
        )
        for c, app in apps.items()
    }
    stack = Stack(f"http://127.0.0.1:{ports['gateway']}", ports, procs, logs)
    try:
        stack.wait_health("ok")
        yield stack
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@dataclass
class Restartable:
    pg: EmbeddedPostgres
    url: str  # admin URL of its `tapline` database
    stack: Stack

    async def restart(self, down_seconds: float = 1.0, down: asyncio.Event | None = None
                      ) -> tuple[int, dict[str, Any]]:
        """Fast shutdown, `/api/health` while the database is away, then start again. `down`
        is set while the database is away (`down_seconds` before it starts again)."""
        await asyncio.to_thread(self.pg.stop)
        deadline = time.monotonic() + 20
        while True:
            status, body = await asyncio.to_thread(self.stack.health)
            if status == 503 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        if down is not None:
            down.set()
        await asyncio.sleep(down_seconds)
        await asyncio.to_thread(self.pg.start)
        return status, body
