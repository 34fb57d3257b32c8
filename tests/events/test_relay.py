"""The outbox relay delivers every event at least once, applied once, in per-account order."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from kernel.inbox import InboxProcessor
from kernel.outbox import Event, publish
from relay.core import Relay
from tests.events.consumer import handlers
from tests.events.helpers import database, role_url, subprocess_env


async def _relay(url: str, batch: int = 5000) -> tuple[Relay, asyncpg.Pool]:
    pool = await asyncpg.create_pool(role_url(url, "relay"), min_size=1, max_size=2)
    relay = Relay(pool, batch=batch)
    await relay.ensure_cursors()
    return relay, pool


async def _applied(url: str) -> list[tuple[str, int]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT entity, (after->>'seq')::bigint AS seq FROM billing.audit_log "
            "WHERE action = 'applied' ORDER BY id")
        return [(r["entity"], r["seq"]) for r in rows]
    finally:
        await conn.close()


async def test_an_early_transaction_that_commits_late_is_not_skipped(fresh_database):
    accounts = database(fresh_database, "accounts")
    relay, pool = await _relay(fresh_database)
    try:
        async with accounts.session() as early, accounts.session() as late:
            await publish(early, [Event("test.Counted", "account:early", {"n": 1})])
            await early.flush()
            await publish(late, [Event("test.Counted", "account:late", {"n": 2})])
            await late.commit()  # commits first, although it began later
            # The relay waits for the open transaction rather than stepping past its event.
            assert await relay.pass_once() == 0
            await early.commit()
        assert await relay.pass_once() == 2 * 3  # two events, three subscribers
        conn = await asyncpg.connect(fresh_database)
        keys = sorted(r["key"] for r in await conn.fetch("SELECT key FROM billing.inbox"))
        await conn.close()
        assert keys == ["account:early", "account:late"]
    finally:
        await pool.close()
        await accounts.dispose()


async def test_events_of_one_account_are_numbered_in_commit_order(fresh_database):
    accounts = database(fresh_database, "accounts")
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", "account:a", {}),
                              Event("test.Counted", "account:b", {}),
                              Event("test.Counted", "account:a", {})])
            await s.commit()
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", "account:a", {})])
            await s.commit()
            rows = (await s.execute(text(
                "SELECT key, key_seq FROM outbox ORDER BY id"))).all()
        assert [tuple(r) for r in rows] == [("account:a", 1), ("account:b", 1),
                                            ("account:a", 2), ("account:a", 3)]
    finally:
        await accounts.dispose()


async def test_a_poison_event_is_parked_and_other_accounts_keep_flowing(fresh_database):
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await _relay(fresh_database)
    processor = InboxProcessor(billing, handlers(), max_attempts=1)
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", "account:sick", {}),
                              Event("test.Poison", "account:sick", {}),
                              Event("test.Counted", "account:sick", {}),
                              Event("test.Counted", "account:well", {}),
                              Event("test.Counted", "account:well", {})])
            await s.commit()
        await relay.pass_once()
        await processor.drain()
        applied = await _applied(fresh_database)
        assert ("account:well", 1) in applied and ("account:well", 2) in applied
        assert ("account:sick", 1) in applied
        assert ("account:sick", 3) not in applied  # waits behind the parked event, in order
        conn = await asyncpg.connect(fresh_database)
        parked = await conn.fetch("SELECT type, last_error FROM billing.inbox "
                                  "WHERE status = 'parked'")
        await conn.close()
        assert [p["type"] for p in parked] == ["test.Poison"]
        assert "can never be applied" in parked[0]["last_error"]
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def test_a_replayed_parked_event_lets_its_account_resume(fresh_database):
    from kernel.events_admin import replay
    from tests.events.consumer import record

    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await _relay(fresh_database)
    h = handlers()
    processor = InboxProcessor(billing, h, max_attempts=1)
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Poison", "account:x", {}),
                              Event("test.Counted", "account:x", {})])
            await s.commit()
        await relay.pass_once()
        await processor.drain()
        assert await _applied(fresh_database) == []
        h.add("test.Poison", record)  # the cause is fixed
        async with billing.session() as s:
            assert await replay(s, None) == 1
            await s.commit()
        await processor.drain()
        assert await _applied(fresh_database) == [("account:x", 1), ("account:x", 2)]
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def test_a_failing_event_is_retried_with_backoff_before_parking(fresh_database):
    from kernel.inbox import Handlers
    from tests.events.consumer import record

    attempts = {"n": 0}

    async def flaky(session, event):
        attempts["n"] += 1
        if attempts["n"] <= 2:  # the batch pass, then the pass that isolates the failure
            raise RuntimeError("database of a third party was down")
        await record(session, event)

    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await _relay(fresh_database)
    h = Handlers()
    h.add("test.Counted", flaky)
    processor = InboxProcessor(billing, h, max_attempts=3)
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", "account:f", {})])
            await s.commit()
        await relay.pass_once()
        assert await processor.drain() == 0
        await asyncio.sleep(0.6)  # first backoff is half a second
        assert await processor.drain() == 1
        assert await _applied(fresh_database) == [("account:f", 1)]
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def _writer(accounts, keys: list[str], total: int, rng: random.Random) -> None:
    written = 0
    while written < total:
        n = min(total - written, rng.randint(1, 25))
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", rng.choice(keys), {"i": written + i})
                              for i in range(n)])
            await s.commit()
        written += n
        await asyncio.sleep(0)


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Output goes to the run's logs, which the end-of-run secret scan reads."""
    logs = Path(os.environ["TAPLINE_DATA_DIR"]) / "logs"
    logs.mkdir(exist_ok=True)
    with (logs / f"relay-test-{args[1]}.log").open("ab") as out:
        return subprocess.Popen([sys.executable, *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT, cwd=os.getcwd())


@pytest.mark.slow
async def test_sigkilled_relay_and_consumer_lose_nothing_and_apply_each_event_once_in_order(
    fresh_database,
):
    """10,000 events from 4 concurrent writers over 40 accounts, while the relay and the
    consumer are killed with SIGKILL at random moments and restarted."""
    rng = random.Random(998)
    total, writers = 10_000, 4
    keys = [f"account:{i}" for i in range(40)]
    accounts = database(fresh_database, "accounts")
    env = subprocess_env(fresh_database)
    relay_cmd = ["-m", "relay"]
    worker_cmd = ["-m", "tapline.worker", "billing", "--handlers",
                  "tests.events.consumer:handlers", "--poll", "0.1"]
    procs = {"relay": _spawn(relay_cmd, env), "worker": _spawn(worker_cmd, env)}
    kills = 0
    try:
        write = asyncio.gather(*(_writer(accounts, keys, total // writers, random.Random(i))
                                 for i in range(writers)))
        while not write.done() or kills < 12:
            await asyncio.sleep(rng.uniform(0.2, 0.9))
            name = rng.choice(["relay", "worker"])
            procs[name].send_signal(signal.SIGKILL)
            procs[name].wait()
            kills += 1
            procs[name] = _spawn(relay_cmd if name == "relay" else worker_cmd, env)
        await write
        conn = await asyncpg.connect(fresh_database)
        try:
            for _ in range(600):
                done = await conn.fetchval("SELECT count(*) FROM billing.inbox "
                                           "WHERE status = 'applied'")
                if done == total:
                    break
                await asyncio.sleep(0.1)
        finally:
            await conn.close()
    finally:
        for p in procs.values():
            p.send_signal(signal.SIGKILL)
            p.wait()
        await accounts.dispose()

    applied = await _applied(fresh_database)
    assert len(applied) == total, f"applied {len(applied)} of {total} after {kills} kills"
    seen: dict[str, int] = {}
    for key, seq in applied:
        assert seq == seen.get(key, 0) + 1, f"{key} applied {seq} after {seen.get(key, 0)}"
        seen[key] = seq

    # A relay replaying everything from the start changes nothing.
    relay, pool = await _relay(fresh_database)
    try:
        await relay.rewind("accounts", "billing")
        await relay.pass_once()
    finally:
        await pool.close()
    assert len(await _applied(fresh_database)) == total


async def test_batch_handlers_apply_each_accounts_events_in_order(fresh_database):
    from tests.events.consumer import batch_handlers

    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await _relay(fresh_database)
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", k, {}) for k in
                              ["account:a", "account:b", "account:a", "account:a", "account:b"]])
            await s.commit()
        await relay.pass_once()
        assert await InboxProcessor(billing, batch_handlers()).drain() == 5
        applied = await _applied(fresh_database)
        assert [seq for key, seq in applied if key == "account:a"] == [1, 2, 3]
        assert [seq for key, seq in applied if key == "account:b"] == [1, 2]
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()
