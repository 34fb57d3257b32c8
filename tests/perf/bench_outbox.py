"""Outbox to inbox: events per second drained, and commit-to-applied latency.

`python -m tests.perf.bench_outbox --events 50000 [--consumer each]` — the relay and the
consumer run as their own processes (`python -m relay`, `python -m tapline.worker`), as
deployed.

1. Throughput: N events (from 4 writers, 100 per transaction, over 5,000 accounts) are written
   first; then the relay and worker start and we time until every one is applied in billing.
   Each event is copied to three subscribers, so the relay moves 3N rows.
2. Latency: with both running, single-event transactions at a steady rate; latency is the
   consumer's `applied_at` minus the event's `occurred_at` (its transaction's start, which for a
   one-statement transaction is its commit to within a millisecond).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

import asyncpg

from tests.perf.harness import start_database, summary, write_result


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TAPLINE_RELAY_POLL_SECONDS": "0.2"}
    return subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


async def _write(url: str, total: int, per_txn: int, writers: int, accounts: int) -> float:
    from kernel.outbox import Event, publish
    from tests.events.helpers import database

    db = database(url, "accounts")

    async def writer(w: int) -> None:
        for start in range(w * per_txn, total, per_txn * writers):
            n = min(per_txn, total - start)
            async with db.session() as s:
                await publish(s, [Event("test.Counted", f"account:{(start + i) % accounts}",
                                        {"i": start + i, "amount": "12.34"}) for i in range(n)])
                await s.commit()

    t0 = time.perf_counter()
    await asyncio.gather(*(writer(w) for w in range(writers)))
    elapsed = time.perf_counter() - t0
    await db.dispose()
    return elapsed


async def _wait_applied(url: str, expected: int, limit_s: float = 600) -> float:
    conn = await asyncpg.connect(url)
    t0 = time.perf_counter()
    try:
        while time.perf_counter() - t0 < limit_s:
            n = await conn.fetchval("SELECT count(*) FROM billing.inbox WHERE status = 'applied'")
            if n >= expected:
                return time.perf_counter() - t0
            await asyncio.sleep(0.05)
        raise TimeoutError(f"only {n} of {expected} applied")
    finally:
        await conn.close()


async def main(events: int, latency_events: int, rate: float, consumer: str) -> None:
    url = start_database()
    write_s = await _write(url, events, 100, 4, 5000)
    relay = _spawn(["-m", "relay"])
    spec = "tests.events.consumer:" + ("batch_handlers" if consumer == "batch" else "handlers")
    worker = _spawn(["-m", "tapline.worker", "billing", "--handlers", spec, "--poll", "0.2"])
    try:
        drain_s = await _wait_applied(url, events)
        from kernel.outbox import Event, publish
        from tests.events.helpers import database

        db = database(url, "accounts")
        for i in range(latency_events):
            async with db.session() as s:
                await publish(s, [Event("test.Counted", f"account:{i % 500}", {"i": i})])
                await s.commit()
            await asyncio.sleep(1 / rate)
        await db.dispose()
        await _wait_applied(url, events + latency_events)
        conn = await asyncpg.connect(url)
        rows = await conn.fetch(
            "SELECT extract(epoch FROM applied_at - occurred_at) * 1000 AS ms "
            "FROM billing.inbox WHERE status = 'applied' ORDER BY position DESC LIMIT $1",
            latency_events)
        await conn.close()
    finally:
        for p in (relay, worker):
            p.terminate()
            p.wait(10)
    latency = summary([float(r["ms"]) for r in rows])
    write_result(f"outbox-{consumer}", {
        "events": events,
        "consumer": consumer,
        "publish_events_per_s": round(events / write_s),
        "drain_seconds": round(drain_s, 2),
        "drained_events_per_s": round(events / drain_s),
        "relay_rows_copied_per_s": round(3 * events / drain_s),
        "latency_ms": {k: round(v, 2) for k, v in latency.items()},
        "latency_rate_per_s": rate,
    })


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--events", type=int, default=50_000)
    p.add_argument("--latency-events", type=int, default=1000)
    p.add_argument("--rate", type=float, default=100.0)
    p.add_argument("--consumer", choices=["batch", "each"], default="batch",
                   help="set-based batch handler, or one handler call per event")
    a = p.parse_args()
    asyncio.run(main(a.events, a.latency_events, a.rate, a.consumer))
