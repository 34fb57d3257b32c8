"""Publishing events: the event row is written in the same transaction as the change it announces.

Each event has a `key` (usually the account) and a per-key sequence number taken from
`outbox_key` under a row lock, so the sequence follows commit order for that key even when
transaction ids do not. Consumers apply a key's events strictly in that order.

There is one publishing statement (`publishing`): it takes any SELECT of events, bumps each
key's `last_seq` by the number of its events (the row lock is held to commit, so a concurrent
publisher of the same key waits and numbers after us) and numbers the events of a key
contiguously in their `ord`. `publish` feeds it a list built in Python; a bill run feeds it a
SELECT over 100,000 bills (`publish_batch`), in one statement either way.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import TextClause, text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.logs import request_id_var


@dataclass
class Event:
    """A past-tense fact, carrying the new state of what changed (not just an id)."""

    type: str
    key: str
    payload: dict[str, Any]
    version: int = 1
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


_TEMPLATE = """
    WITH ev AS MATERIALIZED (
        {source}
    ), counts AS (
        SELECT key, count(*) AS n FROM ev GROUP BY key
    ), bumped AS (
        INSERT INTO outbox_key AS k (key, last_seq)
        SELECT key, n FROM counts ORDER BY key
        ON CONFLICT (key) DO UPDATE SET last_seq = k.last_seq + excluded.last_seq
        RETURNING k.key, k.last_seq
    )
    INSERT INTO outbox (event_id, type, version, key, key_seq, payload, request_id, actor)
    SELECT ev.event_id, ev.type, ev.version, ev.key,
           b.last_seq - c.n + row_number() OVER (PARTITION BY ev.key ORDER BY ev.ord),
           ev.payload, :request_id, :actor
    FROM ev JOIN bumped b ON b.key = ev.key JOIN counts c ON c.key = ev.key
    ORDER BY ev.ord
"""


def publishing(source: str) -> TextClause:
    """The statement that publishes the events `source` selects, for `publish_batch`.

    `source` is a SELECT (it may have its own WITH) yielding the columns `event_id` (uuid),
    `type`, `version`, `key`, `payload` (jsonb) and `ord` (any sortable column: the order of
    the events, per key and in the outbox). Its bind parameters must not be named
    `request_id` or `actor`. Build the statement once, at import time.
    """
    return text(_TEMPLATE.replace("{source}", source))


_FROM_JSON = publishing(
    """
        SELECT (e->>'event_id')::uuid AS event_id, e->>'type' AS type,
               (e->>'version')::int AS version, e->>'key' AS key, e->'payload' AS payload, ord
        FROM jsonb_array_elements(CAST(:events AS jsonb)) WITH ORDINALITY AS t(e, ord)
    """
)


async def publish_batch(session: AsyncSession, statement: TextClause,
                        params: Mapping[str, object], actor: str | None = None) -> int:
    """Publish the events a `publishing(...)` statement selects with `params`, inside the
    caller's transaction (flush only). Returns how many were written."""
    res = await session.execute(
        statement, {**params, "request_id": request_id_var.get(), "actor": actor}
    )
    return int(res.rowcount)  # type: ignore[attr-defined]


async def publish(
    session: AsyncSession, events: Sequence[Event], actor: str | None = None
) -> None:
    """Append `events` to this service's outbox inside the caller's transaction (flush only)."""
    if not events:
        return
    doc = json.dumps(
        [
            {
                "event_id": str(e.event_id),
                "type": e.type,
                "version": e.version,
                "key": e.key,
                "payload": to_jsonable_python(e.payload),
            }
            for e in events
        ]
    )
    await publish_batch(session, _FROM_JSON, {"events": doc}, actor)
