"""One active instance of a process that runs several replicas (the relay, the nightly job).

The leader holds a session-level PostgreSQL advisory lock on a connection of its own: the lock
lives exactly as long as that connection, so a leader that dies, hangs up or is cut off from the
database loses it, and a standby's next try takes it over. No clock, no lease table, no extra
component: the database the work needs anyway is the referee.

    async def work(stop: asyncio.Event) -> None: ...   # runs until `stop` is set

    await lead(dsn, "relay", stop, work)               # returns when `stop` is set

While leading, the lock's connection is checked every `check_seconds`; if it fails, the work is
told to stop (its `stop` is set), awaited, and the replica goes back to competing. A standby
tries again every `retry_seconds`. `Leadership.state` says which it is, for health checks.

A new leader waits two checks before it works, by which time a leader that lost its session
has noticed and been told to stop; work that takes longer to stop than that may still overlap
for a moment, so the work keeps its own writes safe against a second copy as well (the relay's
batches lock their cursor row; the nightly job's steps are unique per day).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import asyncpg

log = logging.getLogger("tapline.leader")

Work = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


def lock_key(name: str) -> str:
    """The advisory lock's key: the name, hashed by the server (`hashtextextended`)."""
    return f"tapline.leader.{name}"


@dataclass
class Leadership:
    """Where a replica stands: `leader`, `standby`, or `stopped`."""

    name: str
    state: str = "standby"
    since: float | None = None


async def try_lock(conn: asyncpg.Connection, name: str) -> bool:
    return bool(await conn.fetchval("SELECT pg_try_advisory_lock(hashtextextended($1, 0))",
                                    lock_key(name)))


async def lead(dsn: str, name: str, stop: asyncio.Event, work: Work, *,
               leadership: Leadership | None = None, retry_seconds: float = 5.0,
               check_seconds: float = 2.0) -> None:
    """Run `work` only while this replica holds the `name` lock; compete again when it is
    lost; return once `stop` is set (the work stopped, the lock released)."""
    me = leadership or Leadership(name)
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        conn: asyncpg.Connection | None = None
        try:
            conn = await asyncpg.connect(dsn)
            if await try_lock(conn, name):
                me.state, me.since = "leader", loop.time()
                log.info("leader of %s", name)
                # A leader cut off from the database notices within two checks: wait that long
                # before working, so the two do not work side by side.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=2 * check_seconds)
                # still our session (and so our lock) after the wait?
                await asyncio.wait_for(conn.fetchval("SELECT 1"), timeout=check_seconds)
                if not stop.is_set():
                    await _while_held(conn, stop, work, check_seconds)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("leader %s: %s", name, type(exc).__name__)
        finally:
            if me.state == "leader":
                log.info("no longer leader of %s", name)
            me.state, me.since = "standby", None
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close()  # closing the session releases the lock
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=retry_seconds)
    me.state = "stopped"


async def _while_held(conn: asyncpg.Connection, stop: asyncio.Event, work: Work,
                      check_seconds: float) -> None:
    """The work runs; the lock's connection is checked beside it. Either the outer stop or a
    failed check stops the work, which is awaited before the lock goes."""
    halt = asyncio.Event()
    task = asyncio.create_task(work(halt))
    try:
        while not stop.is_set() and not task.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=check_seconds)
            if task.done():
                break
            try:
                await asyncio.wait_for(conn.fetchval("SELECT 1"), timeout=check_seconds)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                log.warning("leader: the lock's connection failed; stopping the work")
                break
    finally:
        halt.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, timeout=30)
