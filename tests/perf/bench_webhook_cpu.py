"""Micro-benchmark: the payments process's CPU per processor delivery, in process.

    python -m tests.perf.bench_webhook_cpu [--deliveries 2000] [--path new|old|lean]

What one delivery costs the payments process below the HTTP stack: the signature check and
parse, the delivery's statements through SQLAlchemy and asyncpg, and the commit, one delivery
after another on one pooled connection (so CPU time is the process's own, not waiting).
`--path old` replays the statements the webhook took before it posted in two (a lock, the
delivery, the processor payment, the account, the payment, the publish, the processor row,
the pending reversals), for a before/after on the same machine and load. `--path lean` sends
each delivery to the payments app as ASGI (no uvicorn, no socket): the lean path of
`webhooks/fast.py`, its asyncpg connection included, as the server runs it. 10% of the
deliveries are replays, as the processor makes them. Prints CPU ms per delivery (first
deliveries and replays apart) and the machine's load; run it while the machine is quiet.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import time
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tests.perf.harness import start_database


async def _old_apply(s: Any, event: Any, zone: Any) -> str:
    from services.payments.processors.base import PaymentSucceeded
    from services.payments.webhooks import repository as repo
    from services.payments.webhooks import service

    await repo.lock_payment(s, event.processor, event.payment_id)
    if not await repo.record_delivery(s, event.processor, event.event_id,
                                      type(event).__name__, event.payment_id):
        return "duplicate"
    assert isinstance(event, PaymentSucceeded)
    return await service._succeeded(s, event, zone)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import asyncpg

    from kernel.checkdigit import with_check_digit
    from kernel.clock import utc_now
    from kernel.db import Database
    from kernel.settings import get_settings, service_role
    from kernel.webhooks import WebhookSecret
    from services.payments.processors.base import ChargeRequest, MethodKind
    from services.payments.processors.deliveries import plan_deliveries
    from services.payments.processors.sandbox import SandboxProcessor
    from services.payments.webhooks import service

    settings = get_settings()
    conn = await asyncpg.connect(settings.admin_dsn())
    await conn.executemany(
        "INSERT INTO payments.accounts (id, number, name, status) VALUES ($1, $2, $3, 'active')",
        [(uuid.uuid4(), with_check_digit(str(50000000 + i)), f"Bench {i}") for i in range(2000)])
    await conn.execute("ANALYZE")
    secret = WebhookSecret.generate()
    sandbox = SandboxProcessor([secret])
    rng = random.Random(7)
    warm = 200
    for i in range(round((args.deliveries + warm) * 0.9)):
        number = with_check_digit(str(50000000 + rng.randrange(2000)))
        sandbox.charge(ChargeRequest(number, Decimal(rng.randint(500, 30000)) / 100,
                                     "pm_card_visa", MethodKind.CARD, f"bench-{i}"))
    plan = plan_deliveries(sandbox.messages, secret=secret, now=utc_now(), duplicate_rate=0.1,
                           seed=11)
    db = Database(settings.role_dsn(service_role("payments")), "payments", settings,
                  "bench-webhook-cpu")
    zone = ZoneInfo(settings.timezone)

    app: Any = None
    if args.path == "lean":
        from services.payments.app import create_app

        app = create_app()
        app.state.processor = sandbox

    async def lean(d: Any) -> str:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/api/payments/webhooks/sandbox",
                 "raw_path": b"/api/payments/webhooks/sandbox", "query_string": b"",
                 "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 2),
                 "headers": [(k.lower().encode(), v.encode()) for k, v in d.headers.items()]
                 + [(b"content-type", b"application/json")]}
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": d.body, "more_body": False}

        async def send(message: Any) -> None:
            sent.append(message)

        await app(scope, receive, send)
        assert sent[0]["status"] == 200, sent
        return str(json.loads(sent[1]["body"])["outcome"])

    async def one(d: Any) -> str:
        if app is not None:
            return await lean(d)
        async with db.session() as s:
            event = sandbox.parse_webhook(d.body, d.headers, now=utc_now())
            assert event is not None
            if args.path == "old":
                outcome = await _old_apply(s, event, zone)
            else:
                outcome = await service.apply(s, event, zone=zone)
            await s.commit()
            return outcome

    for d in plan[:warm]:
        await one(d)
    cpu: dict[str, list[float]] = {"first": [], "replay": []}
    outcomes: dict[str, int] = {}
    gc.collect()
    gc.freeze()
    load = os.getloadavg()
    for d in plan[warm:warm + args.deliveries]:
        t0 = time.process_time()
        o = await one(d)
        cpu["replay" if d.attempt > 1 else "first"].append(time.process_time() - t0)
        outcomes[o] = outcomes.get(o, 0) + 1
    await db.dispose()
    if app is not None:
        if app.middleware_stack is not None:
            for m in _middlewares(app.middleware_stack):
                if getattr(m, "pool", None) is not None:
                    await m.pool.close()
        await app.state.db.dispose()
    posted = await conn.fetchval("SELECT count(*) FROM payments.payments")
    recorded = await conn.fetchval("SELECT count(*) FROM payments.processor_deliveries")
    events = await conn.fetchval("SELECT count(*) FROM payments.outbox")
    await conn.close()
    every = cpu["first"] + cpu["replay"]
    return {"path": args.path, "deliveries": len(every), "outcomes": outcomes,
            "cpu_ms_per_delivery": round(1000 * sum(every) / len(every), 3),
            "cpu_ms_first": round(1000 * sum(cpu["first"]) / len(cpu["first"]), 3),
            "cpu_ms_replay": round(1000 * sum(cpu["replay"]) / max(1, len(cpu["replay"])), 3),
            "loadavg": [round(x, 2) for x in load],
            "posted_once_each": posted == recorded == events}


def _middlewares(app: Any) -> list[Any]:
    found = []
    while app is not None:
        found.append(app)
        app = getattr(app, "app", None)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--deliveries", type=int, default=2000)
    ap.add_argument("--path", choices=("new", "old", "lean"), default="new")
    args = ap.parse_args()
    start_database()
    print(json.dumps(asyncio.run(run(args)), indent=2))


if __name__ == "__main__":
    main()
