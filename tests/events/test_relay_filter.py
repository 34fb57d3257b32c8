"""The relay copies a subscriber only the event types it declared, and the subscriber still
receives every one of them, once, in its key's order: its inbox waits for the previous event
the relay copies it (`prev_seq`), not for the events of types it never receives."""

from __future__ import annotations

import asyncio
import random
import signal
from collections import defaultdict

import asyncpg
import pytest

from kernel.events_admin import reset_source
from kernel.inbox import Handlers, InboxProcessor, declare_types
from kernel.outbox import Event, publish
from tests.events.consumer import handlers, record
from tests.events.helpers import (
    applied_events,
    database,
    relay_for,
    spawn,
    subprocess_env,
    writer,
)


async def _fetch(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def _counted_in_outbox(url: str, types: tuple[str, ...] = ("test.Counted",)
                             ) -> dict[str, list[int]]:
    """Each key's sequence numbers of the events of `types` accounts published."""
    seqs: dict[str, list[int]] = defaultdict(list)
    for r in await _fetch(url, "SELECT key, key_seq FROM accounts.outbox "
                               "WHERE type = ANY($1::text[]) ORDER BY key, key_seq", list(types)):
        seqs[r["key"]].append(r["key_seq"])
    return dict(seqs)


def _per_key(applied: list[tuple[str, int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for key, seq in applied:
        out[key].append(seq)
    return dict(out)


def _noise(share: float):  # type: ignore[no-untyped-def]
    """Mostly `test.Noise` (no subscriber here handles it); `account:sparse` gets one
    handled event in fifty: a key whose copied sequence is nearly all gaps."""
    def kind(rng: random.Random, key: str) -> str:
        handled = 0.02 if key == "account:sparse" else share
        return "test.Counted" if rng.random() < handled else "test.Noise"

    return kind


async def test_a_declared_subscriber_gets_only_its_types_each_key_in_order_nothing_missed(
        fresh_database):
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database, batch=7)
    rng = random.Random(31)
    keys = ["account:sparse", "account:a", "account:b", "account:c"]
    try:
        await declare_types(billing, handlers())  # billing's processor started: it declared
        await asyncio.gather(*(writer(accounts, keys, 300, random.Random(i), _noise(0.3))
                               for i in range(3)))
        processor = InboxProcessor(billing, handlers(), batch=5)
        # relay and inbox interleaved in small batches, as they race in production
        while await relay.copy_once("accounts", "billing") or await processor.run_once():
            if rng.random() < 0.5:
                await processor.run_once()
        await processor.drain()

        expected = await _counted_in_outbox(fresh_database)
        assert len(expected["account:sparse"]) >= 5  # the gap-heavy key has handled events
        assert _per_key(await applied_events(fresh_database)) == expected
        copied = await _fetch(fresh_database, "SELECT type, status FROM billing.inbox")
        assert {r["type"] for r in copied} == {"test.Counted"}  # no Noise copied
        assert len(copied) == sum(map(len, expected.values()))
        assert {r["status"] for r in copied} == {"applied"}
        # a subscriber that declared nothing is still copied everything
        await relay.pass_once()
        assert (await _fetch(fresh_database, "SELECT count(*) AS n FROM payments.inbox")
                )[0]["n"] == 900
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def test_a_later_event_copied_first_waits_for_its_copied_predecessor_across_a_gap(
        fresh_database):
    """The copy of seq 5 reaches the inbox before seq 1 (its transaction id is lower, it
    committed later), with 2-4 never copied: it waits for 1, not for 4."""
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database, batch=1)
    try:
        await declare_types(billing, handlers())
        async with accounts.session() as early:
            await publish(early, [Event("test.Noise", "account:other", {})])  # a txid now
            await early.flush()
            async with accounts.session() as late:
                await publish(late, [Event("test.Counted", "account:k", {}),
                                     Event("test.Noise", "account:k", {}),
                                     Event("test.Noise", "account:k", {})])
                await late.commit()
            await publish(early, [Event("test.Noise", "account:k", {}),
                                  Event("test.Counted", "account:k", {})])
            await early.commit()
        processor = InboxProcessor(billing, handlers())
        for _ in range(3):  # the early transaction's three events: only seq 5 is copied
            await relay.copy_once("accounts", "billing")
        (row,) = await _fetch(fresh_database, "SELECT key_seq, prev_seq FROM billing.inbox")
        assert (row["key_seq"], row["prev_seq"]) == (5, 1)
        assert await processor.drain() == 0  # it waits for seq 1
        await relay.pass_once()
        assert await processor.drain() == 2
        assert await applied_events(fresh_database) == [("account:k", 1), ("account:k", 5)]
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


def _with_later() -> Handlers:
    """The subscriber after a deploy that handles `test.Later` too."""
    h = handlers()
    h.add("test.Later", record)
    return h


async def test_a_type_handled_after_a_deploy_is_copied_from_then_on_and_a_rebuild_brings_its_past(
        fresh_database):
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database)
    try:
        await declare_types(billing, handlers())
        async with accounts.session() as s:
            await publish(s, [Event(t, "account:d", {}) for t in
                              ("test.Counted", "test.Later", "test.Counted")])
            await s.commit()
        await relay.pass_once()
        assert await InboxProcessor(billing, handlers()).drain() == 2
        assert await applied_events(fresh_database) == [("account:d", 1), ("account:d", 3)]

        await declare_types(billing, _with_later())  # the new version starts
        async with accounts.session() as s:
            await publish(s, [Event(t, "account:d", {}) for t in ("test.Later", "test.Counted")])
            await s.commit()
        await relay.pass_once()
        after = InboxProcessor(billing, _with_later())
        assert await after.drain() == 2
        assert _per_key(await applied_events(fresh_database)) == {"account:d": [1, 3, 4, 5]}

        # a rewind alone brings the past Later (seq 2), but its key has moved on: never
        # applied out of order, it is marked skipped
        await relay.rewind("accounts", "billing")
        await relay.pass_once()
        assert await after.drain() == 1
        (past,) = await _fetch(fresh_database, "SELECT status FROM billing.inbox "
                                               "WHERE key_seq = 2")
        assert past["status"] == "skipped"
        assert _per_key(await applied_events(fresh_database)) == {"account:d": [1, 3, 4, 5]}

        # a rebuild (the copy cleared, its events deleted, the relay rewound) applies the
        # whole history of every type handled now, in order
        await _fetch(fresh_database, "DELETE FROM billing.audit_log WHERE action = 'applied'")
        async with billing.session() as s:
            assert await reset_source(s, "accounts", keep_rows=False) == 5
            await s.commit()
        await relay.rewind("accounts", "billing")
        await relay.pass_once()
        assert await after.drain() == 5
        assert await applied_events(fresh_database) == [("account:d", n) for n in range(1, 6)]
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def test_events_copied_before_the_subscriber_declared_keep_their_order_with_those_after(
        fresh_database):
    """Until a subscriber declares, it is copied everything; the events after are filtered,
    and a key straddling the moment applies in order (its unhandled events skipped)."""
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database)
    try:
        async with accounts.session() as s:
            await publish(s, [Event(t, "account:e", {}) for t in
                              ("test.Counted", "test.Noise", "test.Noise")])
            await s.commit()
        await relay.pass_once()
        await declare_types(billing, handlers())
        async with accounts.session() as s:
            await publish(s, [Event(t, "account:e", {}) for t in
                              ("test.Noise", "test.Counted", "test.Noise", "test.Counted")])
            await s.commit()
        await relay.pass_once()
        rows = await _fetch(fresh_database, "SELECT key_seq, prev_seq FROM billing.inbox "
                                            "ORDER BY key_seq")
        assert [(r["key_seq"], r["prev_seq"]) for r in rows] == [
            (1, 0), (2, 1), (3, 2), (5, 3), (7, 5)]
        assert await InboxProcessor(billing, handlers()).drain() == 5
        assert await applied_events(fresh_database) == [
            ("account:e", 1), ("account:e", 5), ("account:e", 7)]
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


@pytest.mark.slow
async def test_sigkilled_relay_and_consumer_miss_no_handled_event_across_gaps(fresh_database):
    """6,000 events over 20 accounts, a third of a type billing handles (one in fifty on
    `account:sparse`), while the relay and billing's worker are SIGKILLed at random and
    restarted. The worker declares its types when it starts (one killed while starting may
    not have); the test declares them once a third is written, whatever the worker did: the
    relay copies everything until then, only the handled type after. Every handled event
    is applied once, in its key's order; nothing else is copied after the declaration."""
    rng = random.Random(4242)
    total, writers = 6_000, 4
    keys = ["account:sparse", *(f"account:{i}" for i in range(19))]
    accounts = database(fresh_database, "accounts")
    env = subprocess_env(fresh_database)
    relay_cmd = ["-m", "relay"]
    worker_cmd = ["-m", "tapline.worker", "billing", "--handlers",
                  "tests.events.consumer:handlers", "--poll", "0.1"]
    billing = database(fresh_database, "billing")
    procs = {"relay": spawn(relay_cmd, env), "worker": spawn(worker_cmd, env)}
    kills = 0

    async def write_all() -> None:
        for part, seeds in ((total // 3, range(writers)),
                            (total - total // 3, range(writers, 2 * writers))):
            await asyncio.gather(*(writer(accounts, keys, part // writers, random.Random(i),
                                          _noise(0.33)) for i in seeds))
            if part == total // 3:
                await declare_types(billing, handlers())

    try:
        write = asyncio.create_task(write_all())
        while not write.done() or kills < 10:
            await asyncio.sleep(rng.uniform(0.2, 0.9))
            name = rng.choice(["relay", "worker"])
            procs[name].send_signal(signal.SIGKILL)
            procs[name].wait()
            kills += 1
            procs[name] = spawn(relay_cmd if name == "relay" else worker_cmd, env)
        await write
        expected = await _counted_in_outbox(fresh_database)
        want = sum(map(len, expected.values()))
        for _ in range(600):
            if len(await applied_events(fresh_database)) >= want:
                break
            await asyncio.sleep(0.1)
        for _ in range(100):  # the relay reads the outbox to its end
            behind = await _fetch(
                fresh_database, "SELECT count(*) AS n FROM relay.cursors c JOIN accounts.outbox"
                " o ON (o.txid, o.id) > (c.last_txid, c.last_id) WHERE c.subscriber = 'billing'")
            if not behind[0]["n"]:
                break
            await asyncio.sleep(0.1)
    finally:
        for p in procs.values():
            p.send_signal(signal.SIGKILL)
            p.wait()
        await accounts.dispose()
        await billing.dispose()

    assert _per_key(await applied_events(fresh_database)) == expected, f"after {kills} kills"
    assert len(expected["account:sparse"]) >= 3
    (cursor,) = await _fetch(fresh_database, "SELECT filter_txid, filter_id FROM relay.cursors "
                                             "WHERE source = 'accounts' AND subscriber = 'billing'")
    assert cursor["filter_txid"] is not None  # the worker declared: the relay filters
    noise_after = await _fetch(
        fresh_database, "SELECT count(*) AS n FROM billing.inbox i JOIN accounts.outbox o "
        "USING (event_id) WHERE o.type = 'test.Noise' AND (o.txid, o.id) > ($1, $2)",
        cursor["filter_txid"], cursor["filter_id"])
    assert noise_after[0]["n"] == 0
