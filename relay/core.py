"""Moving events from outboxes to inboxes, exactly once per subscriber, nothing skipped.

For each (source, subscriber) pair the relay keeps a cursor `(txid, id)` over the source's outbox.
It reads only rows whose transaction id is below the oldest transaction still running
(`pg_snapshot_xmin`), so a transaction that committed late with a lower id is never jumped over,
and copies them with `INSERT ... ON CONFLICT DO NOTHING` in the same transaction that advances the
cursor. A relay killed at any instant therefore either copied a batch and moved the cursor, or did
neither; a replayed batch is ignored by the inbox's event-id key.

A subscriber is copied only the event types it handles, once it has declared them (its
`inbox_types`, written when its inbox processor starts); until then, everything (`copy_sql`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import asyncpg

from kernel.settings import SERVICES, SUBSCRIPTIONS

log = logging.getLogger("tapline.relay")


def pairs() -> list[tuple[str, str]]:
    """(source, subscriber) pairs from the subscription table."""
    return [(src, dst) for dst, sources in SUBSCRIPTIONS.items() for src in sources
            if src in SERVICES and dst in SERVICES]


def _ident(name: str) -> str:
    if name not in SERVICES:
        raise ValueError(f"unknown service {name!r}")
    return f'"{name}"'


LOCK_SQL = "SELECT 1 FROM relay.cursors WHERE source = $1 AND subscriber = $2 FOR UPDATE"


def copy_sql(source: str, subscriber: str) -> str:
    """One batch for a pair, in one statement (one snapshot), run with the cursor row locked.

    Filtering (docs/events.md, "Delivery"): an event is copied when the subscriber has declared
    no types yet (`filter` NULL: everything is copied, as before), or when its type is among
    the declared ones. A type newly declared is adopted here at the cursor (`relay.filters`,
    `since`), and the cursor's `filter` position is set when the first types are seen, so
    which events a subscriber is copied follows from the outbox and those two records: before
    `filter`, every event; after it, those whose type was adopted before their position. From
    that the relay gives each copy the key's previous sequence number among the copied events
    (`prev_seq`), which the inbox waits for: every event counted there is copied, now or later.
    """
    src, dst = _ident(source), _ident(subscriber)
    return f"""
    WITH cur AS (
        SELECT last_txid, last_id, filter_txid, filter_id
        FROM relay.cursors WHERE source = $1 AND subscriber = $2
    ), declared AS (
        SELECT type FROM {dst}.inbox_types
    ), adopted AS (
        INSERT INTO relay.filters (source, subscriber, type, since_txid, since_id)
        SELECT $1, $2, d.type, cur.last_txid, cur.last_id FROM declared d, cur
        ON CONFLICT DO NOTHING
        RETURNING type, since_txid, since_id
    ), filt AS MATERIALIZED (
        SELECT type, since_txid, since_id FROM relay.filters
        WHERE source = $1 AND subscriber = $2
        UNION ALL
        SELECT type, since_txid, since_id FROM adopted
    ), mode AS (
        SELECT coalesce(cur.filter_txid, CASE WHEN EXISTS (SELECT FROM declared)
                                              THEN cur.last_txid END) AS f_txid,
               coalesce(cur.filter_id, CASE WHEN EXISTS (SELECT FROM declared)
                                            THEN cur.last_id END) AS f_id
        FROM cur
    ), batch AS (
        SELECT o.id, o.txid, o.event_id, o.type, o.version, o.key, o.key_seq, o.payload,
               o.occurred_at
        FROM {src}.outbox o
        WHERE (o.txid, o.id) > ((SELECT last_txid FROM cur), (SELECT last_id FROM cur))
          AND o.txid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY o.txid, o.id
        LIMIT $3
    ), copy AS (
        SELECT b.*, CASE WHEN m.f_txid IS NULL THEN b.key_seq - 1
                         ELSE coalesce(p.key_seq, 0) END AS prev_seq
        FROM batch b CROSS JOIN mode m
        LEFT JOIN LATERAL (
            SELECT x.key_seq FROM {src}.outbox x
            WHERE x.key = b.key AND x.key_seq < b.key_seq
              AND ((x.txid, x.id) <= (m.f_txid, m.f_id)
                   OR EXISTS (SELECT FROM filt f WHERE f.type = x.type
                              AND (x.txid, x.id) > (f.since_txid, f.since_id)))
            ORDER BY x.key_seq DESC
            LIMIT 1
        ) p ON m.f_txid IS NOT NULL
        WHERE m.f_txid IS NULL OR b.type IN (SELECT type FROM filt)
    ), ins AS (
        INSERT INTO {dst}.inbox (event_id, source, type, version, key, key_seq, prev_seq,
                                 payload, occurred_at)
        SELECT event_id, $1, type, version, key, key_seq, prev_seq, payload, occurred_at
        FROM copy ORDER BY txid, id
        ON CONFLICT DO NOTHING
        RETURNING 1
    ), last AS (
        SELECT txid, id FROM batch ORDER BY txid DESC, id DESC LIMIT 1
    ), moved AS (
        UPDATE relay.cursors c SET last_txid = last.txid, last_id = last.id,
               filter_txid = m.f_txid, filter_id = m.f_id,
               copied = c.copied + (SELECT count(*) FROM batch), updated_at = now()
        FROM last, mode m WHERE c.source = $1 AND c.subscriber = $2
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM batch) AS read, (SELECT count(*) FROM ins) AS inserted,
           (SELECT count(*) FROM moved) AS moved
    """


def lag_sql(source: str) -> str:
    src = _ident(source)
    return f"""
    SELECT count(o.id) AS events,
           count(o.id) FILTER (WHERE o.txid >= pg_snapshot_xmin(pg_current_snapshot()))
               AS held_back,
           coalesce(extract(epoch FROM now() - min(o.occurred_at)), 0) AS seconds
    FROM relay.cursors c JOIN {src}.outbox o ON (o.txid, o.id) > (c.last_txid, c.last_id)
    WHERE c.source = $1 AND c.subscriber = $2
    """


#: The transaction that holds the relay's horizon (`pg_snapshot_xmin`) back: the oldest one
#: with a transaction id, in any database of the server. Read-only transactions hold nothing.
#: Other roles' rows show these columns only to members of `pg_read_all_stats` (bootstrap
#: grants it to the relay when it can); without it the relay still alarms on the events' age.
OLDEST_TRANSACTION_SQL = """
SELECT pid, usename, application_name, datname,
       extract(epoch FROM clock_timestamp() - xact_start) AS seconds
FROM pg_stat_activity
WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
ORDER BY age(backend_xid) DESC
LIMIT 1
"""


@dataclass(frozen=True)
class PairLag:
    source: str
    subscriber: str
    events: int
    seconds: float
    #: committed events the relay may not copy yet: an older transaction is still open
    held_back: int = 0


@dataclass(frozen=True)
class OldestTransaction:
    pid: int
    user: str | None
    application: str | None
    database: str | None
    seconds: float


@dataclass(frozen=True)
class LagReport:
    """What the relay has not copied yet, and whether that is late enough to raise the alarm
    (`TAPLINE_RELAY_LAG_ALARM_SECONDS`): an event waiting longer than the threshold."""

    pairs: list[PairLag]
    oldest_transaction: OldestTransaction | None
    threshold: float

    @property
    def events(self) -> int:
        return sum(p.events for p in self.pairs)

    @property
    def seconds(self) -> float:
        return max((p.seconds for p in self.pairs), default=0.0)

    @property
    def held_back(self) -> int:
        return sum(p.held_back for p in self.pairs)

    @property
    def alarm(self) -> bool:
        return self.events > 0 and self.seconds > self.threshold

    @property
    def reason(self) -> str | None:
        if not self.alarm:
            return None
        waiting = (f"{self.events} events wait, the oldest {self.seconds:.0f} s "
                   f"(alarm at {self.threshold:g} s)")
        tx = self.oldest_transaction
        if self.held_back and tx is not None:
            who = ", ".join(x for x in (tx.user, tx.application, tx.database) if x)
            return (f"{waiting}: held back by a transaction open {tx.seconds:.0f} s "
                    f"(pid {tx.pid}{', ' + who if who else ''})")
        if self.held_back:
            return f"{waiting}: held back by an open transaction"
        return f"{waiting}: the relay is behind"


# Every copy is planned for its own call (never a generic plan cached while the outbox was
# empty) and reads the outbox in index order from the cursor (the cursor's values are scalars
# of the statement, so they bound the index scan), stopping at the batch: the planner otherwise
# bitmap-scans or seq-scans and sorts everything past the cursor for every batch, or scans the
# outbox from its start: quadratic in a burst of 100,000 events, and the outbox is kept forever.
_PLAN = ("SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
         "set_config('enable_bitmapscan', 'off', true), "
         "set_config('enable_seqscan', 'off', true)")


@dataclass
class Relay:
    pool: asyncpg.Pool
    batch: int = 5000
    copied: dict[tuple[str, str], int] = field(default_factory=dict)
    last_pass: float = 0.0

    async def ensure_cursors(self) -> None:
        async with self.pool.acquire() as conn:
            await conn.executemany(
                "INSERT INTO relay.cursors (source, subscriber) VALUES ($1, $2) "
                "ON CONFLICT DO NOTHING",
                pairs(),
            )

    async def copy_once(self, source: str, subscriber: str) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(_PLAN)
            # The lock first, then the batch in a statement of its own: its snapshot then
            # holds whatever a relay that held the lock before us committed (its filters too).
            await conn.execute(LOCK_SQL, source, subscriber)
            row = await conn.fetchrow(copy_sql(source, subscriber), source, subscriber,
                                      self.batch)
        n = int(row["read"]) if row else 0
        if n:
            key = (source, subscriber)
            self.copied[key] = self.copied.get(key, 0) + n
        return n

    async def pass_once(self, sources: set[str] | None = None) -> int:
        """Copy everything now visible for every pair (or only those of `sources`).

        Round-robin, a batch per pair per round, the pairs of a round copied at once (each in
        its own transaction on its own pooled connection, its cursor row locked): a burst for
        three subscribers reaches each of them from the first round, instead of the last one
        waiting for the others' copies, and the database copies on every core it has."""
        total = 0
        todo = [(src, dst) for src, dst in pairs() if sources is None or src in sources]
        while todo:
            results = await asyncio.gather(*(self.copy_once(src, dst) for src, dst in todo),
                                           return_exceptions=True)
            for r in results:  # every copy has finished (committed or rolled back) by now
                if isinstance(r, BaseException):
                    raise r
            copied = [int(n) for n in results]  # type: ignore[arg-type]
            total += sum(copied)
            todo = [pair for pair, n in zip(todo, copied, strict=True) if n >= self.batch]
        self.last_pass = time.time()
        return total

    async def lag(self) -> list[PairLag]:
        out = []
        async with self.pool.acquire() as conn:
            for source, subscriber in pairs():
                row = await conn.fetchrow(lag_sql(source), source, subscriber)
                out.append(PairLag(source, subscriber, int(row["events"]) if row else 0,
                                   float(row["seconds"]) if row else 0.0,
                                   int(row["held_back"]) if row else 0))
        return out

    async def oldest_transaction(self) -> OldestTransaction | None:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(OLDEST_TRANSACTION_SQL)
        if row is None or row["seconds"] is None:
            return None
        return OldestTransaction(int(row["pid"]), row["usename"], row["application_name"],
                                 row["datname"], float(row["seconds"]))

    async def report(self, threshold: float) -> LagReport:
        return LagReport(await self.lag(), await self.oldest_transaction(), threshold)

    async def rewind(self, source: str, subscriber: str) -> None:
        """Feed `subscriber` the whole history of `source` again (for a rebuilt copy): every
        event of a type it handles now, from the start, types it began to handle later
        included (their filters then start at the beginning too)."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "UPDATE relay.cursors SET last_txid = '0', last_id = 0, copied = 0, "
                "filter_txid = CASE WHEN filter_txid IS NOT NULL THEN '0'::xid8 END, "
                "filter_id = CASE WHEN filter_id IS NOT NULL THEN 0 END "
                "WHERE source = $1 AND subscriber = $2",
                source, subscriber,
            )
            await conn.execute(
                "UPDATE relay.filters SET since_txid = '0', since_id = 0 "
                "WHERE source = $1 AND subscriber = $2",
                source, subscriber,
            )
