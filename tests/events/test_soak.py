"""Soak (`make soak`, not in `make test`): 100,000 events from concurrent writers while the relay
and the consumer are SIGKILLed at random, at least 50 times. Nothing lost, nothing applied twice,
every account's events applied in order; the figures are printed."""

from __future__ import annotations

import asyncio
import collections
import os
import random
import signal
import time
import uuid
from pathlib import Path

import asyncpg
import pytest

from tests.events.helpers import (
    applied_events,
    database,
    relay_for,
    spawn,
    subprocess_env,
    writer,
)

TOTAL = int(os.environ.get("TAPLINE_SOAK_EVENTS", "100000"))
WRITERS = 8
KEYS = 500
MIN_KILLS = 50


async def _applied_count(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval(
        "SELECT count(*) FROM billing.inbox WHERE status = 'applied'"))


#: What each process has done so far: the relay copies into billing's inbox, the consumer
#: applies from it.
PROGRESS = {"relay": "SELECT count(*) FROM billing.inbox",
            "worker": "SELECT count(*) FROM billing.inbox WHERE status = 'applied'"}


async def _until_working(conn: asyncpg.Connection, name: str, since: int,
                         cap: float = 10.0) -> bool:
    """Wait until a freshly started process has done some work (a kill during its start-up
    proves little), or `cap` seconds when there is nothing left for it to do."""
    deadline = time.monotonic() + cap
    while time.monotonic() < deadline:
        if int(await conn.fetchval(PROGRESS[name])) > since:
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.soak
async def test_100k_events_survive_50_random_sigkills_of_relay_and_consumer_exactly_once_in_order(
    fresh_database,
):
    rng = random.Random(2026)
    keys = [f"account:{i}" for i in range(KEYS)]
    attempts_file = Path(os.environ["TAPLINE_DATA_DIR"]) / f"attempts-{uuid.uuid4().hex[:8]}.log"
    env = {**subprocess_env(fresh_database), "TAPLINE_TEST_ATTEMPTS": str(attempts_file)}
    relay_cmd = ["-m", "relay"]
    worker_cmd = ["-m", "tapline.worker", "billing", "--handlers",
                  "tests.events.consumer:counting_handlers", "--poll", "0.1"]
    accounts = database(fresh_database, "accounts")
    procs = {"relay": spawn(relay_cmd, env), "worker": spawn(worker_cmd, env)}
    kills: collections.Counter[str] = collections.Counter()
    working = 0  # kills of a process that had done work since it started
    started = time.monotonic()
    conn = await asyncpg.connect(fresh_database)
    try:
        write = asyncio.gather(*(writer(accounts, keys, TOTAL // WRITERS, random.Random(i))
                                 for i in range(WRITERS)))
        marks: dict[str, float] = {}
        write.add_done_callback(lambda _: marks.setdefault("written", time.monotonic()))
        at_spawn = {name: 0 for name in procs}
        # At least MIN_KILLS, and half of them of a process at work while work remains.
        while (not write.done() or sum(kills.values()) < MIN_KILLS
               or (working < MIN_KILLS // 2 and await _applied_count(conn) < TOTAL)):
            name = rng.choice(["relay", "worker"])
            if await _until_working(conn, name, at_spawn[name], 3.0 if write.done() else 10.0):
                working += 1
            await asyncio.sleep(rng.uniform(0.0, 1.0))  # somewhere inside a batch
            procs[name].send_signal(signal.SIGKILL)
            procs[name].wait()
            kills[name] += 1
            at_spawn[name] = int(await conn.fetchval(PROGRESS[name]))
            procs[name] = spawn(relay_cmd if name == "relay" else worker_cmd, env)
        await write
        written = marks["written"] - started
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if await _applied_count(conn) >= TOTAL:
                break
            await asyncio.sleep(0.2)
        drained = time.monotonic() - started
    finally:
        await conn.close()
        for p in procs.values():
            p.send_signal(signal.SIGKILL)
            p.wait()
        await accounts.dispose()

    applied = await applied_events(fresh_database)
    tries = collections.Counter(attempts_file.read_text().split())
    redelivered = sum(1 for n in tries.values() if n > 1)
    print(
        f"\nsoak: {TOTAL:,} events from {WRITERS} writers over {KEYS} accounts; "
        f"{sum(kills.values())} SIGKILLs (relay {kills['relay']}, consumer {kills['worker']}; "
        f"{working} of a process at work); "
        f"written in {written:.1f} s, all applied after {drained:.1f} s "
        f"({TOTAL / drained:,.0f} events/s end to end); {redelivered:,} events handed to the "
        f"consumer again after a kill, at most {max(tries.values(), default=1) - 1} times "
        f"(applied once each: {len(applied):,} effects)",
        flush=True,
    )
    assert sum(kills.values()) >= MIN_KILLS
    assert working >= MIN_KILLS // 5, f"only {working} kills hit a process at work"
    assert len(applied) == TOTAL, f"applied {len(applied)} of {TOTAL}"
    assert len(tries) == TOTAL  # every event reached the consumer
    seen: dict[str, int] = {}
    for key, seq in applied:
        assert seq == seen.get(key, 0) + 1, f"{key} applied {seq} after {seen.get(key, 0)}"
        seen[key] = seq
    assert sum(seen.values()) == TOTAL

    relay, pool = await relay_for(fresh_database)
    try:  # the relay replaying everything from the start changes nothing
        await relay.rewind("accounts", "billing")
        await relay.pass_once()
    finally:
        await pool.close()
    assert len(await applied_events(fresh_database)) == TOTAL
