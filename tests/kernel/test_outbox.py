"""The outbox numbers each key's events 1, 2, 3 … in commit order, whether they come one by one
(`publish`) or by the hundred from a SELECT (`publish_batch`), with publishers racing."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from sqlalchemy import text

from kernel.outbox import Event, publish, publish_batch, publishing
from tests.events.helpers import database

KEYS = ["account:a", "account:b", "account:c", "account:d"]

BATCH = publishing(
    """
    SELECT gen_random_uuid() AS event_id, 'test.Batched' AS type, 1 AS version, k.key,
           jsonb_build_object('tx', CAST(:tx AS text), 'i', k.ord) AS payload, k.ord
    FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS k(key, ord)
    """
)


@dataclass
class Tx:
    name: str
    keys: list[str]
    committed: bool = True
    published_at: float = 0.0
    commit_started: float = 0.0
    commit_ended: float = 0.0
    seqs: dict[str, list[int]] = field(default_factory=dict)


async def _publisher(db, worker: int, rounds: int, rng: random.Random, out: list[Tx]) -> None:
    for n in range(rounds):
        tx = Tx(f"w{worker}-{n}", [rng.choice(KEYS) for _ in range(rng.randint(1, 6))],
                committed=rng.random() > 0.1)
        async with db.session() as s:
            if rng.random() < 0.5:
                await publish(s, [Event("test.Single", k, {"tx": tx.name, "i": i})
                                  for i, k in enumerate(tx.keys, start=1)])
            else:
                await publish_batch(s, BATCH, {"tx": tx.name, "keys": tx.keys})
            tx.published_at = time.monotonic()
            await asyncio.sleep(rng.random() * 0.015)  # hold the key rows a while
            tx.commit_started = time.monotonic()
            if tx.committed:
                await s.commit()
            else:
                await s.rollback()
            tx.commit_ended = time.monotonic()
        out.append(tx)


async def test_per_key_sequences_are_contiguous_and_in_commit_order_under_racing_publishers(
    fresh_database,
):
    db = database(fresh_database, "billing")
    txs: list[Tx] = []
    try:
        await asyncio.gather(*[_publisher(db, w, 12, random.Random(w), txs) for w in range(10)])
        async with db.session() as s:
            rows = (await s.execute(text(
                "SELECT key, key_seq, payload->>'tx' AS tx, (payload->>'i')::int AS i "
                "FROM outbox ORDER BY key, key_seq"))).all()
    finally:
        await db.dispose()

    by_name = {t.name: t for t in txs}
    assert {r.tx for r in rows} == {t.name for t in txs if t.committed}
    for key in KEYS:
        seqs = [r.key_seq for r in rows if r.key == key]
        assert seqs == list(range(1, len(seqs) + 1)), f"{key}: gaps or repeats"
    for r in rows:
        by_name[r.tx].seqs.setdefault(r.key, []).append(r.key_seq)
    for t in txs:
        for key, seqs in t.seqs.items():
            # one transaction's events of a key are numbered together, in the order given
            assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
            mine = [r.i for r in rows if r.tx == t.name and r.key == key]
            assert mine == sorted(mine)

    committed = [t for t in txs if t.committed]
    pairs = 0
    for a in committed:
        for b in committed:
            for key in set(a.seqs) & set(b.seqs):
                if a.seqs[key][0] < b.seqs[key][0]:
                    pairs += 1
                    # b numbered after a: b could not publish before a began to commit, and
                    # so never committed before it
                    assert b.published_at >= a.commit_started, (a.name, b.name, key)
                    assert not b.commit_ended < a.commit_started
    assert pairs > 100  # the publishers really did share keys
