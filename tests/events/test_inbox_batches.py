"""The inbox applies many events per transaction and hands a batch handler a wave at once; the
guarantees stay those of one event at a time: a failing event fails alone, a redelivery changes
nothing, and each key's events apply in order however the batches cut them."""

from __future__ import annotations

import random

import asyncpg
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent, InboxProcessor
from kernel.outbox import Event, publish
from tests.events.consumer import record_many
from tests.events.helpers import applied_events, database, relay_for


async def record_unless_bad(session: AsyncSession, events: list[InboxEvent]) -> None:
    """The set-based consumer, refusing any wave that holds an event marked bad."""
    if any(e.payload.get("bad") for e in events):
        raise ValueError("a bad event in the wave")
    await record_many(session, events)


def handlers() -> Handlers:
    h = Handlers()

    @h.on_batch("test.Counted")
    async def counted(session: AsyncSession, events: list[InboxEvent]) -> None:
        await record_unless_bad(session, events)

    return h


async def _inbox(url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(sql))
    finally:
        await conn.close()


async def test_a_poison_event_in_a_batch_fails_alone_and_the_rest_of_the_batch_applies(
        fresh_database):
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database)
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", f"account:{k}", {}) for k in "abcde"]
                          + [Event("test.Counted", "account:c", {"bad": True}),
                             Event("test.Counted", "account:c", {})]
                          + [Event("test.Counted", f"account:{k}", {}) for k in "abde"])
            await s.commit()
        await relay.pass_once()
        assert await InboxProcessor(billing, handlers(), max_attempts=2).drain() == 9
        applied = await applied_events(fresh_database)
        assert sorted(applied) == sorted([(f"account:{k}", 1) for k in "abcde"]
                                         + [(f"account:{k}", 2) for k in "abde"])
        (bad,) = await _inbox(fresh_database, "SELECT key, key_seq, status, attempts, last_error "
                                              "FROM billing.inbox WHERE payload ? 'bad'")
        assert (bad["key"], bad["key_seq"], bad["status"], bad["attempts"]) == (
            "account:c", 2, "pending", 1)  # retried later, with backoff
        assert "a bad event in the wave" in bad["last_error"]
        # its retry fails again: parked, and the account's next event still waits behind it
        await _inbox(fresh_database, "UPDATE billing.inbox SET next_attempt_at = now() "
                                     "WHERE payload ? 'bad'")
        await _inbox(fresh_database, "UPDATE billing.inbox_progress SET blocked_until = now() "
                                     "WHERE key = 'account:c'")
        assert await InboxProcessor(billing, handlers(), max_attempts=2).drain() == 0
        (parked,) = await _inbox(fresh_database, "SELECT status FROM billing.inbox "
                                                 "WHERE payload ? 'bad'")
        assert parked["status"] == "parked"
        assert ("account:c", 3) not in await applied_events(fresh_database)
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def test_a_redelivered_batch_changes_nothing(fresh_database):
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database)
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", f"account:{i % 3}", {}) for i in range(12)])
            await s.commit()
        await relay.pass_once()
        processor = InboxProcessor(billing, handlers())
        assert await processor.drain() == 12
        first = await applied_events(fresh_database)
        await relay.rewind("accounts", "billing")  # the whole history delivered again
        await relay.pass_once()
        assert await processor.drain() == 0
        assert await applied_events(fresh_database) == first
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def test_each_keys_order_is_kept_across_batches_however_they_are_cut(fresh_database):
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database, batch=7)
    rng = random.Random(9)
    keys = [f"account:{k}" for k in "pqrs"]
    try:
        for _ in range(6):  # several transactions, keys interleaved
            async with accounts.session() as s:
                await publish(s, [Event("test.Counted", rng.choice(keys), {})
                                  for _ in range(rng.randint(3, 12))])
                await s.commit()
        processor = InboxProcessor(billing, handlers(), batch=5)
        while await relay.copy_once("accounts", "billing") or await processor.run_once():
            await processor.run_once()  # relay and inbox interleaved, small batches each
        await processor.drain()
        applied = await applied_events(fresh_database)
        total = sum(1 for _ in applied)
        written = await _inbox(fresh_database, "SELECT count(*) AS n FROM accounts.outbox")
        assert total == written[0]["n"]
        for k in keys:
            seqs = [seq for key, seq in applied if key == k]
            assert seqs == list(range(1, len(seqs) + 1))
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()


async def test_one_batch_marks_handled_events_applied_others_skipped_and_moves_each_key_once(
        fresh_database):
    """The batch's marks and its keys' progress are written together: a handled event is
    `applied`, a type nobody handles `skipped`, and each key's progress is its last event."""
    accounts = database(fresh_database, "accounts")
    billing = database(fresh_database, "billing")
    relay, pool = await relay_for(fresh_database)
    try:
        async with accounts.session() as s:
            await publish(s, [Event("test.Counted", "account:m", {}),
                              Event("test.Unhandled", "account:m", {}),
                              Event("test.Counted", "account:m", {}),
                              Event("test.Unhandled", "account:n", {})])
            await s.commit()
        await relay.pass_once()
        processor = InboxProcessor(billing, handlers())
        assert await processor.run_once() == 4
        marks = await _inbox(fresh_database, "SELECT key, key_seq, status, applied_at IS NOT NULL "
                             "AS stamped FROM billing.inbox ORDER BY key, key_seq")
        assert [(r["key"], r["key_seq"], r["status"], r["stamped"]) for r in marks] == [
            ("account:m", 1, "applied", True), ("account:m", 2, "skipped", True),
            ("account:m", 3, "applied", True), ("account:n", 1, "skipped", True)]
        progress = await _inbox(fresh_database, "SELECT key, last_seq, blocked_until "
                                "FROM billing.inbox_progress ORDER BY key")
        assert [(r["key"], r["last_seq"], r["blocked_until"]) for r in progress] == [
            ("account:m", 3, None), ("account:n", 1, None)]
        assert await applied_events(fresh_database) == [("account:m", 1), ("account:m", 3)]
        assert await processor.run_once() == 0
    finally:
        await pool.close()
        await accounts.dispose()
        await billing.dispose()
