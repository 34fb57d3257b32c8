"""A transaction held open holds every later event back (the relay never steps past it); past
`TAPLINE_RELAY_LAG_ALARM_SECONDS` the relay's metrics and `/api/health` raise the lag alarm and
name the transaction; when it ends, every event is delivered and the alarm clears."""

from __future__ import annotations

import asyncio
import re
import time

import asyncpg
import httpx
import pytest

from kernel.outbox import Event, publish
from tests.events.helpers import database, role_url
from tests.faults.stack import running_stack

EVENTS = 40


def _metric(text: str, name: str) -> float:
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    assert m, f"{name} not in the relay's metrics"
    return float(m.group(1))


async def _metrics(relay: str) -> str:
    async with httpx.AsyncClient(timeout=10) as c:
        return (await c.get(f"{relay}/metrics")).text


async def _delivered(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        return {s: await conn.fetchval(
            f"SELECT count(*) FROM {s}.inbox WHERE type = 'test.Counted'")
            for s in ("billing", "payments", "collections")}
    finally:
        await conn.close()


@pytest.mark.slow
async def test_a_long_open_transaction_holds_events_back_raises_the_lag_alarm_and_loses_nothing(
    fresh_database,
):
    with running_stack(fresh_database, {"TAPLINE_RELAY_LAG_ALARM_SECONDS": "2"}) as stack:
        relay = stack.url("relay")
        # A report or bulk load, as the accounts role, that has written something: it holds
        # a transaction id, so the relay's horizon cannot move past it.
        long_tx = await asyncpg.connect(role_url(fresh_database, "accounts"))
        tx = long_tx.transaction()
        await tx.start()
        await long_tx.fetchval("SELECT pg_current_xact_id()")
        pid = long_tx.get_server_pid()

        accounts = database(fresh_database, "accounts")
        try:
            for i in range(EVENTS):
                async with accounts.session() as s:
                    await publish(s, [Event("test.Counted", f"account:{i % 7}", {"i": i})])
                    await s.commit()

            await asyncio.sleep(1.0)
            assert await _delivered(fresh_database) == {
                "billing": 0, "payments": 0, "collections": 0}, "an event jumped the horizon"

            deadline = time.monotonic() + 30
            while True:
                status, body = await asyncio.to_thread(stack.health)
                if body.get("relay_lag_alarm") or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.3)
            assert status == 200 and body["status"] == "degraded", body
            assert body["relay_lag_alarm"] is True
            reason = next(r for r in body["reasons"] if "lag alarm" in r)
            assert f"pid {pid}" in reason and "tapline_accounts" in reason, reason
            assert "transaction open" in reason and "alarm at 2 s" in reason, reason
            relay_detail = next(c for c in body["components"] if c["name"] == "relay")["detail"]
            assert relay_detail["held_back_events"] == EVENTS * 3
            assert relay_detail["oldest_transaction"]["seconds"] > 2

            metrics = await _metrics(relay)
            assert _metric(metrics, "tapline_relay_lag_alarm") == 1.0
            assert _metric(metrics, "tapline_relay_lag_alarm_threshold_seconds") == 2.0
            assert _metric(metrics, "tapline_relay_oldest_transaction_seconds") > 2.0

            await tx.rollback()

            deadline = time.monotonic() + 30
            while await _delivered(fresh_database) != {
                    "billing": EVENTS, "payments": EVENTS, "collections": EVENTS}:
                assert time.monotonic() < deadline, await _delivered(fresh_database)
                await asyncio.sleep(0.2)
            body = await asyncio.to_thread(stack.wait_health, "ok", 30)
            assert body["relay_lag_alarm"] is False and body["reasons"] == []
            metrics = await _metrics(relay)
            assert _metric(metrics, "tapline_relay_lag_alarm") == 0.0
        finally:
            await long_tx.close()
            await accounts.dispose()
