"""A transaction held open holds every later event back (the relay never steps past it); past
`TAPLINE_RELAY_LAG_ALARM_SECONDS` the relay's metrics and `/api/health` raise the lag alarm and
name the transaction; when it ends, every event is delivered and the alarm clears."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import asyncpg
import httpx
import pytest

from kernel.inbox import declare_types
from kernel.outbox import Event, publish
from tests.events.consumer import handlers
from tests.events.helpers import database, role_url
from tests.faults.stack import Stack, running_stack

SUBSCRIBERS = ("billing", "payments", "collections")


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
            f"SELECT count(*) FROM {s}.inbox WHERE type = 'test.Counted'") for s in SUBSCRIBERS}
    finally:
        await conn.close()


async def _health(stack: Stack) -> dict[str, Any]:
    status, body = await asyncio.to_thread(stack.health)
    assert status == 200, body
    return body


async def _write(url: str, stop: asyncio.Event, written: list[int]) -> None:
    """One event at a time, every 50 ms, until told to stop."""
    accounts = database(url, "accounts")
    try:
        while not stop.is_set():
            async with accounts.session() as s:
                n = len(written)
                await publish(s, [Event("test.Counted", f"account:{n % 7}", {"i": n})])
                await s.commit()
            written.append(n)
            await asyncio.sleep(0.05)
    finally:
        await accounts.dispose()


async def _hold_open_transaction(url: str, threshold: float, hold: float) -> dict[str, Any]:
    """Hold a transaction open for `hold` seconds while events are written; check the events
    wait, the alarm is raised only past `threshold`, names the transaction, and clears when
    the transaction ends and every event is delivered. Returns figures."""
    with running_stack(url, {"TAPLINE_RELAY_LAG_ALARM_SECONDS": f"{threshold:g}"}) as stack:
        relay = stack.url("relay")
        # The subscribers declare the test's type, as a version that handled it would: the
        # relay copies it to each of them (their processors, with no handler for it, skip it).
        for s in SUBSCRIBERS:
            db = database(url, s)
            try:
                await declare_types(db, handlers())
            finally:
                await db.dispose()
        # A report or bulk load, as the accounts role, that has written something: it holds
        # a transaction id, so the relay's horizon cannot move past it.
        long_tx = await asyncpg.connect(role_url(url, "accounts"))
        tx = long_tx.transaction()
        await tx.start()
        await long_tx.fetchval("SELECT pg_current_xact_id()")
        pid = long_tx.get_server_pid()
        opened = time.monotonic()
        stop, written = asyncio.Event(), []
        writer = asyncio.create_task(_write(url, stop, written))
        try:
            await asyncio.sleep(min(1.0, threshold / 2))
            assert written, "the writer wrote nothing"
            assert await _delivered(url) == dict.fromkeys(SUBSCRIBERS, 0), \
                "an event jumped the horizon"
            body = await _health(stack)
            assert body["status"] == "ok" and body["relay_lag_alarm"] is False, body

            alarm_after = None
            while time.monotonic() - opened < hold or alarm_after is None:
                body = await _health(stack)
                if body["relay_lag_alarm"] and alarm_after is None:
                    alarm_after = time.monotonic() - opened
                assert time.monotonic() - opened < hold + 30, "the alarm was never raised"
                await asyncio.sleep(0.5)
            assert alarm_after > threshold, alarm_after
            assert body["status"] == "degraded", body
            reason = next(r for r in body["reasons"] if "lag alarm" in r)
            assert f"pid {pid}" in reason and "tapline_accounts" in reason, reason
            assert "transaction open" in reason and f"alarm at {threshold:g} s" in reason, reason
            relay_detail = next(c for c in body["components"] if c["name"] == "relay")["detail"]
            assert relay_detail["held_back_events"] >= len(SUBSCRIBERS)
            assert relay_detail["oldest_transaction"]["seconds"] > threshold
            metrics = await _metrics(relay)
            assert _metric(metrics, "tapline_relay_lag_alarm") == 1.0
            assert _metric(metrics, "tapline_relay_lag_alarm_threshold_seconds") == threshold
            assert _metric(metrics, "tapline_relay_oldest_transaction_seconds") > threshold
            assert await _delivered(url) == dict.fromkeys(SUBSCRIBERS, 0)
            waited = body["relay_lag_events"]

            await tx.rollback()
            held = time.monotonic() - opened
            stop.set()
            await writer
            released = time.monotonic()
            deadline = released + 60
            while await _delivered(url) != dict.fromkeys(SUBSCRIBERS, len(written)):
                assert time.monotonic() < deadline, (await _delivered(url), len(written))
                await asyncio.sleep(0.2)
            caught_up = time.monotonic() - released
            body = await asyncio.to_thread(stack.wait_health, "ok", 30)
            assert body["relay_lag_alarm"] is False and body["reasons"] == []
            assert _metric(await _metrics(relay), "tapline_relay_lag_alarm") == 0.0
        finally:
            stop.set()
            await writer
            await long_tx.close()
    return {"held": held, "alarm_after": alarm_after, "events": len(written),
            "waited": waited, "caught_up": caught_up}


@pytest.mark.slow
async def test_a_long_open_transaction_holds_events_back_raises_the_lag_alarm_and_loses_nothing(
    fresh_database,
):
    await _hold_open_transaction(fresh_database, threshold=2, hold=0)


@pytest.mark.soak
async def test_a_transaction_open_for_minutes_holds_events_back_and_none_is_lost(fresh_database):
    f = await _hold_open_transaction(fresh_database, threshold=30, hold=150)
    print(f"\nlong transaction: held open {f['held']:.0f} s while {f['events']:,} events were "
          f"written; the lag alarm (threshold 30 s) rose after {f['alarm_after']:.0f} s with "
          f"{f['waited']:,} deliveries waiting; after it ended every event was delivered in "
          f"{f['caught_up']:.1f} s and the alarm cleared", flush=True)
