"""Consuming events: the relay copies events into this service's `inbox`; this applies them.

Each event is applied in its own savepoint inside a batch transaction that also marks it applied
and advances the per-key progress, so its effect and its "done" mark commit together: a crash at
any point either keeps both or neither, and a redelivered event id is ignored at insert time.
A key's events apply strictly in `key_seq` order. A failing event is retried with backoff and,
after `max_attempts`, parked with its error; only its own key waits, others keep flowing.

The relay copies a service only the event types it declared (`declare_types`, when the
processor starts), so a key's sequence in the inbox has gaps: each row carries `prev_seq`, the
key's previous sequence number among the events the relay copies this service, and waits until
the key's progress has reached it (docs/events.md, "Delivery").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import asyncpg
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.db import Database
from kernel.reactions import Reactions, attach, discard, settle

log = logging.getLogger("tapline.inbox")


@dataclass(frozen=True)
class InboxEvent:
    event_id: uuid.UUID
    source: str
    type: str
    version: int
    key: str
    key_seq: int
    payload: dict[str, Any]
    occurred_at: datetime


class _Pending(NamedTuple):
    """A candidate row as plain tuple: read once per event, a batch of 2,000 at a time (a
    database row object's attribute lookups were a tenth of the inbox's Python time)."""

    event_id: uuid.UUID
    source: str
    type: str
    version: int
    key: str
    key_seq: int
    payload: dict[str, Any]
    occurred_at: datetime
    attempts: int
    last_seq: int
    prev_seq: int


def _pending(result: Any) -> list[_Pending]:
    return [_Pending._make(r) for r in result.all()]


Handler = Callable[[AsyncSession, InboxEvent], Awaitable[None]]
BatchHandler = Callable[[AsyncSession, list[InboxEvent]], Awaitable[None]]


class Handlers:
    """Event type -> handler. Types with no handler are skipped (in order) without effect.

    A batch handler receives many events of one type at once (never two of one key), so it can
    apply them with set-based SQL; use it for types that arrive by the thousand (bills).
    """

    def __init__(self) -> None:
        self._by_type: dict[str, Handler] = {}
        self._batch: dict[str, BatchHandler] = {}

    def add_batch(self, event_type: str, fn: BatchHandler) -> None:
        self._batch[event_type] = fn

    def on_batch(self, event_type: str) -> Callable[[BatchHandler], BatchHandler]:
        """Register `fn` as the batch form for `event_type` (see `add_batch`)."""
        def register(fn: BatchHandler) -> BatchHandler:
            self._batch[event_type] = fn
            return fn

        return register

    def get_batch(self, event_type: str) -> BatchHandler | None:
        return self._batch.get(event_type)

    def handles(self, event_type: str) -> bool:
        return event_type in self._by_type or event_type in self._batch

    def types(self) -> frozenset[str]:
        """Every type handled, single or batch: what the service declares to the relay."""
        return frozenset(self._by_type) | frozenset(self._batch)

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self._by_type[event_type] = fn
            return fn

        return register

    def add(self, event_type: str, fn: Handler) -> None:
        self._by_type[event_type] = fn

    def get(self, event_type: str) -> Handler | None:
        return self._by_type.get(event_type)

    def merge(self, other: Handlers) -> Handlers:
        """Add another feature's handlers. Two features that both react to one type each get
        the event, in merge order, in the same transaction (never one silently replacing the
        other); a type cannot have both a single and a batch handler."""
        for event_type, fn in other._by_type.items():
            mine = self._by_type.get(event_type)
            self._by_type[event_type] = fn if mine is None else _chain(mine, fn)
        for event_type, bfn in other._batch.items():
            mine_b = self._batch.get(event_type)
            self._batch[event_type] = bfn if mine_b is None else _chain_batch(mine_b, bfn)
        clash = set(self._by_type) & set(self._batch)
        if clash:
            raise ValueError(f"single and batch handlers for the same types: {sorted(clash)}")
        return self


def _chain(first: Handler, second: Handler) -> Handler:
    async def both(s: AsyncSession, e: InboxEvent) -> None:
        await first(s, e)
        await second(s, e)

    return both


def _chain_batch(first: BatchHandler, second: BatchHandler) -> BatchHandler:
    async def both(s: AsyncSession, es: list[InboxEvent]) -> None:
        await first(s, es)
        await second(s, es)

    return both


# The inbox's transaction plans every statement for its parameters (`plan_cache_mode`, local to
# the transaction). A worker polls an empty inbox for hours, so a cached generic plan is one made
# for empty tables: a burst of 100,000 events then met a nested loop over `inbox_progress` per
# candidate and a sequential scan of the inbox per batch (quadratic: 641 events/s at 100,000).
# The candidates are read in `position` order from the pending index, stopping at the batch
# (no bitmap scan: with statistics taken while few events were pending, one read and sorted
# every pending event for every batch of a burst); the handlers then plan as usual.
_LOCK = text(
    "SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 11)) "
    "AND set_config('plan_cache_mode', 'force_custom_plan', true) IS NOT NULL "
    "AND set_config('enable_bitmapscan', 'off', true) IS NOT NULL"
)
_HANDLERS_PLAN = text(
    "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = 'enable_bitmapscan'"
)

_CANDIDATES = text(
    """
    SELECT i.event_id, i.source, i.type, i.version, i.key, i.key_seq, i.payload, i.occurred_at,
           i.attempts, coalesce(p.last_seq, 0) AS last_seq,
           coalesce(i.prev_seq, i.key_seq - 1) AS prev_seq
    FROM (SELECT * FROM inbox WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY position LIMIT :n) i
    LEFT JOIN inbox_progress p ON p.source = i.source AND p.key = i.key
    WHERE p.blocked_until IS NULL OR p.blocked_until <= now()
    """
)

# When every candidate waits on a predecessor that arrived later, look only at events whose
# predecessor has applied (key heads).
_HEADS = text(
    """
    SELECT i.event_id, i.source, i.type, i.version, i.key, i.key_seq, i.payload, i.occurred_at,
           i.attempts, coalesce(p.last_seq, 0) AS last_seq,
           coalesce(i.prev_seq, i.key_seq - 1) AS prev_seq
    FROM inbox i LEFT JOIN inbox_progress p ON p.source = i.source AND p.key = i.key
    WHERE i.status = 'pending' AND i.next_attempt_at <= now()
      AND coalesce(i.prev_seq, i.key_seq - 1) <= coalesce(p.last_seq, 0)
      AND (p.blocked_until IS NULL OR p.blocked_until <= now())
    LIMIT :n
    """
)

# Marking a batch done and moving its keys' progress is one statement (one round trip). The
# rows are found through the event-id key (`= ANY` of the batch's ids), never by joining the
# ids to the inbox: the inbox keeps every event it ever received, and the join hashed all of
# it for every batch (a sequential scan of the whole inbox per 2,000 events: 80 ms a batch at
# 20,000 rows, 240 ms at 100,000, growing with the inbox's history).
_MARK_DONE = text(
    """
    WITH done AS (
        UPDATE inbox SET status = CASE WHEN event_id = ANY(CAST(:skipped AS uuid[]))
                                       THEN 'skipped' ELSE 'applied' END,
               applied_at = now(), last_error = NULL
        WHERE event_id = ANY(CAST(:ids AS uuid[]))
    )
    INSERT INTO inbox_progress AS p (source, key, last_seq, blocked_until)
    SELECT unnest(CAST(:sources AS text[])), unnest(CAST(:keys AS text[])),
           unnest(CAST(:seqs AS bigint[])), NULL
    ON CONFLICT (source, key) DO UPDATE
        SET last_seq = greatest(p.last_seq, excluded.last_seq), blocked_until = NULL
    """
)

_FAIL = text(
    """
    UPDATE inbox SET attempts = attempts + 1, last_error = :err,
        status = CASE WHEN attempts + 1 >= :max THEN 'parked' ELSE 'pending' END,
        next_attempt_at = now() + make_interval(secs => :delay)
    WHERE event_id = :id
    RETURNING status
    """
)

_BLOCK = text(
    """
    INSERT INTO inbox_progress AS p (source, key, last_seq, blocked_until)
    SELECT source, key, :last,
           CASE WHEN status = 'parked' THEN 'infinity'::timestamptz ELSE next_attempt_at END
    FROM inbox WHERE event_id = :id
    ON CONFLICT (source, key) DO UPDATE SET blocked_until = excluded.blocked_until
    """
)


_DECLARE = text(
    "INSERT INTO inbox_types (type) SELECT unnest(CAST(:types AS text[])) "
    "ON CONFLICT DO NOTHING"
)


async def declare_types(db: Database, handlers: Handlers) -> None:
    """Tell the relay which types this service handles, before it applies anything.

    The set only grows (a type a deploy stops handling is still copied, then skipped): the
    relay copies a declared type from the moment it reads the declaration on, and a service
    that declared nothing is copied everything. Past events of a type declared later are the
    copy's rebuild (`tapline events rewind`, docs/events.md)."""
    types = sorted(handlers.types())
    if not types:
        return
    async with db.session() as session:
        await session.execute(_DECLARE, {"types": types})
        await session.commit()


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff, capped at five minutes: 0.5, 1, 2, 4 ... seconds."""
    return float(min(300.0, 0.5 * (2 ** max(0, attempts - 1))))


class InboxProcessor:
    def __init__(
        self, db: Database, handlers: Handlers, max_attempts: int = 8, batch: int = 500,
        reactions: Reactions | None = None,
    ) -> None:
        self.db = db
        self.handlers = handlers
        self.reactions = reactions
        self.max_attempts = max_attempts
        self.batch = batch
        self.applied_total = 0
        self.failed_total = 0

    async def run_once(self) -> int:
        """Apply one batch; returns how many events were applied or skipped."""
        async with self.db.session() as session:
            if self.reactions is not None:
                attach(session, self.reactions)
            lock = await session.execute(_LOCK, {"k": f"tapline-inbox-{self.db.schema}"})
            if not lock.scalar_one():
                await session.rollback()
                return 0  # another replica holds the inbox
            rows = _pending(await session.execute(_CANDIDATES, {"n": self.batch}))
            await session.execute(_HANDLERS_PLAN)
            done = await self._apply(session, rows)
            if not done and rows:
                rows = _pending(await session.execute(_HEADS, {"n": self.batch}))
                done = await self._apply(session, rows)
            await session.commit()
            return done

    @staticmethod
    def _plan(rows: Sequence[Any]) -> tuple[list[list[Any]], list[Any]]:
        """Ready events in waves: wave n holds the n-th ready event of each key, so a wave never
        holds two events of one key and waves in order keep every key's order.

        An event is ready when its key has applied up to its `prev_seq` (the previous event
        the relay copies this service; `key_seq - 1` when it copies everything). An event
        older than what its key has applied (one a rewind brought after the key had moved on:
        a type handled since) is never applied out of order: it comes back apart, to be marked
        skipped."""
        waves: list[list[Any]] = []
        stale: list[Any] = []
        last: dict[tuple[str, str], int] = {}
        depth: dict[tuple[str, str], int] = {}
        for r in sorted(rows, key=lambda r: (r.source, r.key, r.key_seq)):
            k = (r.source, r.key)
            if r.key_seq <= r.last_seq:
                stale.append(r)
                continue
            applied = last.get(k, r.last_seq)
            if applied < 0 or r.prev_seq > applied:
                last[k] = -1  # predecessor not here yet (or not applied): nothing more for k
                continue
            last[k] = r.key_seq
            n = depth.get(k, 0)
            depth[k] = n + 1
            if n == len(waves):
                waves.append([])
            waves[n].append(r)
        return waves, stale

    async def _run(self, session: AsyncSession, rows: list[Any]) -> None:
        by_type: dict[str, list[Any]] = {}
        for r in rows:
            by_type.setdefault(r.type, []).append(r)
        for event_type, group in by_type.items():
            events = [InboxEvent(*r[:8]) for r in group]
            batch = self.handlers.get_batch(event_type)
            if batch is not None:
                await batch(session, events)
                continue
            handler = self.handlers.get(event_type)
            if handler is not None:
                for event in events:
                    await handler(session, event)
        await settle(session)  # what follows from the effects, in their savepoint

    async def _apply(self, session: AsyncSession, rows: Sequence[Any]) -> int:
        waves, stale = self._plan(rows)
        if not waves and not stale:
            return 0
        done: list[Any] = []
        if waves:
            try:
                async with session.begin_nested():  # optimistic: the whole batch at once
                    for wave in waves:
                        await self._run(session, wave)
                done = [r for wave in waves for r in wave]
            except Exception:  # noqa: BLE001 - isolate the failing event one by one, below
                discard(session)
                done = await self._apply_one_by_one(session, [r for w in waves for r in w])
        done += stale
        if done:
            last: dict[tuple[str, str], int] = {}
            for r in done:
                k = (r.source, r.key)
                if last.get(k, 0) < r.key_seq:
                    last[k] = r.key_seq
            handles = self.handlers.handles
            skipped = [str(r.event_id) for r in stale]
            skipped += [str(r.event_id) for r in done[:len(done) - len(stale)]
                        if not handles(r.type)]
            keys = list(last)
            await session.execute(_MARK_DONE, {
                "ids": [str(r.event_id) for r in done], "skipped": skipped,
                "sources": [k[0] for k in keys], "keys": [k[1] for k in keys],
                "seqs": [last[k] for k in keys]})
        self.applied_total += len(done)
        return len(done)

    async def _apply_one_by_one(self, session: AsyncSession, rows: list[Any]) -> list[Any]:
        """Slow path after a failure: one savepoint per event; a failure blocks its key only."""
        blocked: set[tuple[str, str]] = set()
        done: list[Any] = []
        for r in sorted(rows, key=lambda r: (r.source, r.key, r.key_seq)):
            k = (r.source, r.key)
            if k in blocked:
                continue
            try:
                async with session.begin_nested():
                    await self._run(session, [r])
            except Exception as exc:  # noqa: BLE001 - any handler failure parks, never crashes
                discard(session)
                blocked.add(k)
                await self._fail(session, r, exc)
                continue
            done.append(r)
        return done

    async def _fail(self, session: AsyncSession, r: Any, exc: Exception) -> None:
        self.failed_total += 1
        err = f"{type(exc).__name__}: {exc}"[:2000]
        res = (
            await session.execute(
                _FAIL,
                {"err": err, "max": self.max_attempts,
                 "delay": backoff_seconds(r.attempts + 1), "id": r.event_id},
            )
        ).one()
        await session.execute(_BLOCK, {"last": r.last_seq, "id": r.event_id})
        log.warning(
            "event %s (%s) failed, %s: %s", r.event_id, r.type, res.status, err,
            extra={"event_id": str(r.event_id), "event_type": r.type},
        )

    async def drain(self, max_rounds: int = 10_000) -> int:
        total = 0
        for _ in range(max_rounds):
            n = await self.run_once()
            total += n
            if n == 0:
                break
        return total

    async def run_forever(self, stop: asyncio.Event, poll_seconds: float = 1.0) -> None:
        """Apply as events arrive (LISTEN/NOTIFY), polling too for retries and missed wakeups."""
        wake = asyncio.Event()
        conn: asyncpg.Connection | None = None
        declared = False
        while not stop.is_set():
            try:
                if not declared:  # before anything is applied: the relay copies them from now
                    await declare_types(self.db, self.handlers)
                    declared = True
                if conn is None or conn.is_closed():
                    conn = await asyncpg.connect(self.db.dsn)
                    await conn.add_listener(
                        f"tapline_inbox_{self.db.schema}", lambda *_: wake.set()
                    )
                while await self.run_once():
                    if stop.is_set():
                        break
            except Exception:  # noqa: BLE001 - keep the loop alive; the database may be back soon
                log.exception("inbox processing failed; retrying")
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await conn.close()
                conn = None
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=poll_seconds)
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()


async def inbox_stats(session: AsyncSession) -> dict[str, Any]:
    row = (
        await session.execute(
            text(
                "SELECT count(*) FILTER (WHERE status = 'pending') AS pending, "
                "count(*) FILTER (WHERE status = 'parked') AS parked, "
                "coalesce(extract(epoch FROM now() - min(received_at) "
                "FILTER (WHERE status = 'pending')), 0) AS oldest_pending_seconds "
                "FROM inbox WHERE status IN ('pending', 'parked')"
            )
        )
    ).one()
    return {"pending": row.pending, "parked": row.parked,
            "oldest_pending_seconds": float(row.oldest_pending_seconds)}
