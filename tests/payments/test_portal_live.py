"""The sandbox's hosted page on a running payments process: the customer pays on the page, and
the sandbox's webhook reaches the process's own webhook endpoint over HTTP (its default
address, from the service's configured URL) and posts the payment once."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx

from kernel.checkdigit import with_check_digit
from kernel.webhooks import WebhookSecret
from tapline.pgserver import free_port
from tests.conftest import mint_token
from tests.payments.test_webhook_storm import start, wait_up


async def test_a_payment_on_the_sandbox_page_of_a_running_process_posts_once(fresh_database):
    conn = await asyncpg.connect(fresh_database)
    account, number = uuid.uuid4(), with_check_digit("47000001")
    await conn.execute("INSERT INTO payments.accounts (id, number, name, status) "
                       "VALUES ($1, $2, 'Live Customer', 'active')", account, number)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ["TAPLINE_SERVICE_URLS"] = json.dumps({"payments": base})
    logs = Path(os.environ["TAPLINE_DATA_DIR"]) / f"portal-live-{uuid.uuid4().hex[:6]}"
    logs.mkdir()
    try:
        proc = start(["uvicorn", "services.payments.app:create_app", "--factory", "--port",
                      str(port), "--no-access-log"], fresh_database, WebhookSecret.generate(),
                     logs / "payments.log")
    finally:
        del os.environ["TAPLINE_SERVICE_URLS"]
    try:
        await wait_up(base)
        me = {"Authorization": "Bearer " + mint_token("customer", "live-cust", (str(account),))}
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            r = await c.post(f"/api/payments/portal/accounts/{account}/payments/hosted",
                             json={"amount": "33.30", "return_url": "/portal/done"},
                             headers={**me, "Idempotency-Key": "live-1"})
            assert r.status_code == 201, r.text
            page = await c.get(r.json()["url"])
            assert page.status_code == 200 and "33.30" in page.text
            done = await c.post(r.json()["url"], data={"method": "pm_card_visa"})
            assert (done.status_code, done.headers["location"]) == (303, "/portal/done")
            deadline = time.monotonic() + 30
            while True:
                got = await c.get(f"/api/payments/portal/accounts/{account}/payments/"
                                  f"{r.json()['id']}", headers=me)
                if got.json()["status"] == "posted" or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            assert got.json()["status"] == "posted", got.text
        assert await conn.fetchval(
            "SELECT count(*) FROM payments.outbox WHERE type = 'payments.PaymentPosted'") == 1
        assert await conn.fetchval(
            "SELECT amount FROM payments.payments WHERE channel = 'processor'") == Decimal(
            "33.30")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        await conn.close()
