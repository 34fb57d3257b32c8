"""The webhook storm: signed sandbox deliveries, 30% of them repeats, in random order, with
hostile ones among them, sent by two concurrent clients to two payments processes sharing only
the database and the signing secret, with the relay and billing's worker running. Nothing posts
twice, nothing is lost, hostile deliveries write nothing, and billing's ledger adds up to the
charges less the refunds, chargebacks and returns.

The 1,000-delivery storm runs in `make test`; the 10,000-delivery one is `soak` (`make soak`).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
import pytest

from kernel.checkdigit import with_check_digit
from kernel.webhooks import WebhookSecret
from services.payments.processors.base import ChargeRequest, MethodKind
from services.payments.processors.deliveries import PlannedDelivery, plan_deliveries
from services.payments.processors.sandbox import SandboxProcessor, WebhookMessage
from tapline.pgserver import free_port

ACCOUNTS = 200
IN_FLIGHT = 8  # requests each client keeps open


def busy_sandbox(secret: WebhookSecret, messages: int, rng: random.Random) -> SandboxProcessor:
    """Card payments with part refunds and chargebacks, and ACH debits some of which are
    returned, until the sandbox has emitted about `messages` webhook messages."""
    sandbox = SandboxProcessor([secret])
    i = 0
    while len(sandbox.messages) < messages:
        i += 1
        number = with_check_digit(str(40000000 + i % ACCOUNTS))
        amount = Decimal(rng.randint(500, 50000)) / 100
        if i % 10 == 0:
            method = rng.choice(["pm_usBankAccount", "pm_usBankAccount_insufficientFunds"])
            pid = sandbox.charge(ChargeRequest(number, amount, method,
                                               MethodKind.US_BANK_ACCOUNT, f"storm-{i}")).payment_id
            sandbox.settle(pid)
            continue
        pid = sandbox.charge(ChargeRequest(number, amount, "pm_card_visa", MethodKind.CARD,
                                           f"storm-{i}")).payment_id
        if i % 4 == 0:
            sandbox.refund(payment_id=pid, amount=(amount / 4).quantize(Decimal("0.01")),
                           idempotency_key=f"storm-{i}-r1", reason="requested_by_customer")
        if i % 8 == 0:
            sandbox.refund(payment_id=pid, amount=Decimal("1.00"),
                           idempotency_key=f"storm-{i}-r2", reason="requested_by_customer")
        if i % 15 == 0:
            sandbox.dispute(pid)
    return sandbox


def expected(messages: list[WebhookMessage]) -> tuple[int, int, Decimal]:
    """(payments, reversals, net amount) the messages ask for."""
    posted, reversed_, net = 0, 0, Decimal("0.00")
    for m in messages:
        doc = json.loads(m.body)
        amount = Decimal(doc["data"]["amount"])
        if doc["type"] == "payment.succeeded":
            posted, net = posted + 1, net + amount
        elif doc["type"] in ("payment.refunded", "payment.disputed", "payment.ach_returned"):
            reversed_, net = reversed_ + 1, net - amount
    return posted, reversed_, net


def start(args: list[str], url: str, secret: WebhookSecret,
          log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TAPLINE_DATABASE_URL": url, "TAPLINE_LOG_LEVEL": "WARNING",
           "TAPLINE_RELAY_POLL_SECONDS": "0.2", "TAPLINE_PAYMENTS_PROCESSOR": "sandbox",
           "TAPLINE_PAYMENTS_WEBHOOK_SECRETS": secret.text()}
    return subprocess.Popen([sys.executable, "-m", *args], env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)


def start_payments(url: str, secret: WebhookSecret, port: int,
                   log: Path) -> subprocess.Popen[bytes]:
    return start(["uvicorn", "services.payments.app:create_app", "--factory", "--port",
                  str(port), "--no-access-log"], url, secret, log)


async def billing_ledger(conn: asyncpg.Connection, payments: int,
                         reversals: int) -> tuple[int, int, Decimal]:
    """Billing's payment and reversal entries once the relay and billing's worker have
    delivered them all (or what they got to in two minutes)."""
    deadline = time.monotonic() + 120
    while True:
        row = await conn.fetchrow(
            "SELECT count(*) FILTER (WHERE kind = 'payment') AS p, "
            "count(*) FILTER (WHERE kind = 'payment_reversal') AS r, "
            "coalesce(sum(amount), 0) AS total FROM billing.ledger_entries "
            "WHERE kind IN ('payment', 'payment_reversal')")
        got = (int(row["p"]), int(row["r"]), Decimal(row["total"]))
        if got[:2] == (payments, reversals) or time.monotonic() > deadline:
            return got
        await asyncio.sleep(0.5)


async def wait_up(base: str) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=base) as c:
        while True:
            try:
                await c.get("/api/payments/webhooks/sandbox")
                return
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)


async def client(bases: list[str], plan: list[PlannedDelivery], rng: random.Random,
                 statuses: Counter[tuple[bool, int]]) -> None:
    queue = list(plan)
    async with httpx.AsyncClient(timeout=60) as c:
        async def one() -> None:
            while queue:
                d = queue.pop()
                for attempt in range(5):  # a processor retries a delivery it got no answer to
                    try:
                        r = await c.post(f"{rng.choice(bases)}/api/payments/webhooks/sandbox",
                                         content=d.body, headers=d.headers)
                        break
                    except httpx.TransportError:
                        statuses[(d.trusted, -1)] += 1
                        if attempt == 4:
                            raise
                        await asyncio.sleep(0.1)
                statuses[(d.trusted, r.status_code)] += 1
        await asyncio.gather(*(one() for _ in range(IN_FLIGHT)))


async def storm(url: str, messages: int) -> None:
    rng = random.Random(2026)
    secret = WebhookSecret.generate()
    sandbox = busy_sandbox(secret, messages, rng)
    conn = await asyncpg.connect(url)
    await conn.executemany(
        "INSERT INTO payments.accounts (id, number, name, status) VALUES ($1, $2, $3, 'active')",
        [(uuid.uuid4(), with_check_digit(str(40000000 + i)), f"Storm {i}", )
         for i in range(ACCOUNTS)])
    logs = Path(os.environ["TAPLINE_DATA_DIR"]) / f"storm-{uuid.uuid4().hex[:6]}"
    logs.mkdir()
    ports = [free_port(), free_port()]
    procs = [start_payments(url, secret, p, logs / f"payments-{p}.log") for p in ports]
    procs += [start(["relay"], url, secret, logs / "relay.log"),
              start(["tapline.worker", "billing", "--poll", "0.2"], url, secret,
                    logs / "billing-worker.log")]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for b in bases:
            await wait_up(b)
        plan = plan_deliveries(sandbox.messages, secret=secret, now=datetime.now(UTC),
                               duplicate_rate=0.3, hostile_rate=0.02, seed=7)
        statuses: Counter[tuple[bool, int]] = Counter()
        started = time.monotonic()
        await asyncio.gather(client(bases, plan[0::2], rng, statuses),
                             client(bases, plan[1::2], random.Random(1), statuses))
        elapsed = time.monotonic() - started
        genuine = sum(d.trusted for d in plan)
        print(f"\nwebhook storm: {len(plan)} deliveries ({genuine} genuine, "
              f"{len(plan) - genuine} hostile, {len(sandbox.messages)} messages) in "
              f"{elapsed:.1f} s = {len(plan) / elapsed:.0f}/s; {dict(statuses)}")
        assert statuses[(True, 200)] == genuine, statuses
        assert sum(n for (trusted, st), n in statuses.items()
                   if not trusted and st in (400, 401)) == len(plan) - genuine, statuses
        payments, reversals, net = expected(sandbox.messages)
        q = conn.fetchval
        assert await q("SELECT count(*) FROM payments.processor_deliveries") == len(
            sandbox.messages)
        assert await q("SELECT count(*) FROM payments.payments") == payments
        assert await q("SELECT count(*) FROM payments.outbox "
                       "WHERE type = 'payments.PaymentPosted'") == payments
        assert await q("SELECT count(*) FROM payments.outbox "
                       "WHERE type = 'payments.PaymentReturned'") == reversals
        assert await q("SELECT count(*) FROM payments.processor_reversals "
                       "WHERE applied_at IS NULL") == 0
        announced = await q(
            "SELECT coalesce(sum((payload->'payment'->>'amount')::numeric) FILTER (WHERE type = "
            "'payments.PaymentPosted'), 0) - coalesce(sum((payload->>'amount')::numeric) "
            "FILTER (WHERE type = 'payments.PaymentReturned'), 0) FROM payments.outbox")
        assert announced == net
        # billing's ledger, fed by the relay: the charges less what was reversed, once each
        assert await billing_ledger(conn, payments, reversals) == (payments, reversals, -net)
    finally:
        await conn.close()
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


async def test_a_storm_of_1000_deliveries_to_two_processes_posts_each_payment_once(
        fresh_database):
    await storm(fresh_database, 700)


@pytest.mark.soak
async def test_the_10000_delivery_webhook_storm_posts_once_loses_nothing_and_adds_up(
        fresh_database):
    await storm(fresh_database, 7000)
