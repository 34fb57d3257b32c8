from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg

from kernel.db import Database
from kernel.outbox import Event, publish
from kernel.settings import Settings, get_settings, service_role
from relay.core import Relay


def role_url(admin_url: str, component: str) -> str:
    """Login URL of a component's role on the same server and database as `admin_url`."""
    settings = Settings(database_url=admin_url, data_dir=get_settings().data_dir)
    return settings.role_dsn(service_role(component))


def database(admin_url: str, component: str) -> Database:
    return Database(role_url(admin_url, component), component, get_settings(), f"test-{component}")


def subprocess_env(admin_url: str) -> dict[str, str]:
    return {**os.environ, "TAPLINE_DATABASE_URL": admin_url, "TAPLINE_LOG_LEVEL": "WARNING",
            "TAPLINE_RELAY_POLL_SECONDS": "0.1", "TAPLINE_INBOX_MAX_ATTEMPTS": "3"}


async def relay_for(url: str, batch: int = 5000) -> tuple[Relay, asyncpg.Pool]:
    pool = await asyncpg.create_pool(role_url(url, "relay"), min_size=1, max_size=2)
    relay = Relay(pool, batch=batch)
    await relay.ensure_cursors()
    return relay, pool


async def applied_events(url: str) -> list[tuple[str, int]]:
    """(key, seq) of every event the test consumer applied, in the order applied."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT entity, (after->>'seq')::bigint AS seq FROM billing.audit_log "
            "WHERE action = 'applied' ORDER BY id")
        return [(r["entity"], r["seq"]) for r in rows]
    finally:
        await conn.close()


async def writer(accounts, keys: list[str], total: int, rng: random.Random,
                 kind: Callable[[random.Random, str], str] | None = None) -> None:
    """`total` events over `keys` in transactions of 1 to 25; `kind(rng, key)` picks each
    event's type (`test.Counted` unless given)."""
    written = 0
    while written < total:
        n = min(total - written, rng.randint(1, 25))
        async with accounts.session() as s:
            events = []
            for i in range(n):
                key = rng.choice(keys)
                kind_ = kind(rng, key) if kind else "test.Counted"
                events.append(Event(kind_, key, {"i": written + i}))
            await publish(s, events)
            await s.commit()
        written += n
        await asyncio.sleep(0)


def spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Output goes to the run's logs, which the end-of-run secret scan reads."""
    logs = Path(os.environ["TAPLINE_DATA_DIR"]) / "logs"
    logs.mkdir(exist_ok=True)
    with (logs / f"relay-test-{args[1]}.log").open("ab") as out:
        return subprocess.Popen([sys.executable, *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT, cwd=os.getcwd())
