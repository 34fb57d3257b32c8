"""`make run`: database, migrations, demo data, then every process, until Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kernel.keys import ensure_keys
from kernel.mail import uses_dev_inbox
from kernel.settings import DEFAULT_PORTS, SERVICES, Settings, get_settings
from tapline.bootstrap import migrate_all
from tapline.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from tapline.pgserver import DatabaseStartError, EmbeddedPostgres, port_open


def start_database(settings: Settings) -> EmbeddedPostgres | None:
    if settings.database_url:
        return None
    pg = EmbeddedPostgres(settings.data_dir, settings.embedded_pg_port)
    pg.start()
    return pg


def setup(settings: Settings) -> EmbeddedPostgres | None:
    """Everything before the processes start; safe to repeat."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    pg = start_database(settings)
    ensure_keys(settings)
    migrate_all(settings)
    if settings.demo and asyncio.run(load_demo(settings)):
        print("Loaded demo data.", flush=True)
    return pg


def _uvicorn(app: str, port: int, host: str = "127.0.0.1") -> list[str]:
    # uvloop and httptools by name (uvicorn[standard]): "auto" would fall back to the much
    # slower asyncio loop and h11 parser without a word if either went missing.
    return [sys.executable, "-m", "uvicorn", app, "--factory", "--host", host,
            "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            "--timeout-graceful-shutdown", "5"]


def process_table(settings: Settings) -> dict[str, list[str]]:
    procs = {s: _uvicorn(f"services.{s}.app:create_app", DEFAULT_PORTS[s]) for s in SERVICES}
    procs["relay"] = _uvicorn("relay.app:create_app", DEFAULT_PORTS["relay"])
    procs["nightly"] = _uvicorn("nightly.app:create_app", DEFAULT_PORTS["nightly"])
    procs["gateway"] = _uvicorn("gateway.app:create_app", settings.port, settings.host)
    return procs


def wait_healthy(url: str, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def run() -> int:
    settings = get_settings()
    busy = [f"{n} ({p})" for n, p in {**DEFAULT_PORTS, "gateway": settings.port}.items()
            if port_open(p)]
    if busy:
        print(f"Ports in use for: {', '.join(busy)}. Is Tapline already running? "
              "(PORT moves the gateway.)", flush=True)
        return 1
    try:
        pg = setup(settings)
    except DatabaseStartError as exc:
        print(exc, flush=True)
        return 1
    children: dict[str, subprocess.Popen[bytes]] = {}
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    logs = settings.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for name, cmd in process_table(settings).items():
            log = (logs / f"{name}.log").open("ab")
            children[name] = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                              cwd=Path(__file__).resolve().parent.parent)
        base = f"http://{settings.host}:{settings.port}"
        if not wait_healthy(f"{base}/api/health", 90):
            print(f"Tapline did not become healthy; see {logs}/*.log", flush=True)
        else:
            print(_banner(base, settings), flush=True)
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"{name} exited with {child.returncode}; stopping. See {logs}/{name}.log",
                          flush=True)
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        print("Stopping Tapline ...", flush=True)
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if pg is not None:
            pg.stop()
        print("Stopped.", flush=True)
    return 0


def _banner(base: str, settings: Settings) -> str:
    lines = [
        "",
        f"  Tapline is running: {base}/",
        f"  API docs:           {base}/api/docs",
        f"  Health:             {base}/api/health",
    ]
    if settings.demo:
        lines.append(f"  Demo logins (password '{DEMO_PASSWORD}'): "
                     + ", ".join(u for u, _, _ in DEMO_USERS))
    if uses_dev_inbox(settings):
        lines.append(f"  Mail (dev inbox):   {base}/api/mail/dev-inbox")
    lines.append("  Ctrl-C stops everything.")
    return "\n".join(lines) + "\n"
