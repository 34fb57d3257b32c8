"""The database restarted (fast shutdown, then start) under a running Tapline: in the middle of
a bill run's finalise and of an event drain. The run is wholly final or wholly not, the ledger
reconciles, every process reconnects by itself (none is restarted), and `/api/health` is red
while the database is away and green after.

These tests restart a PostgreSQL server of their own, so the suite's shared server is never
disturbed: one server and one stack for the module (about 45 s)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest

from kernel.outbox import Event, publish
from tests.billing.helpers import RATES
from tests.conftest import mint_token
from tests.events.helpers import database
from tests.faults.stack import Restartable

pytestmark = pytest.mark.slow

ACCOUNTS = 8
CYCLE = "RST"


def _h(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(role)}"}


def _ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, (r.request.url, r.status_code, r.text)
    return r.json()


@pytest.fixture(scope="module")
async def accounts(own_server: Restartable) -> AsyncIterator[list[str]]:
    """ACCOUNTS accounts with water service and a read, started through the accounts API
    and known to billing by events."""
    csr, tech = _h("csr1"), _h("billing_tech")
    async with httpx.AsyncClient(base_url=own_server.stack.base, timeout=30) as api:
        _ok(await api.post("/api/billing/rates/versions", json=RATES, headers=tech), 201)
        ids, meters = [], []
        for i in range(ACCOUNTS):
            address = {"line1": f"{i + 1} Restart Way", "city": "Fresno", "state": "CA",
                       "postal_code": "93701"}
            premise = _ok(await api.post("/api/accounts/premises", headers=csr, json={
                "address": address, "apn": f"900-000-{i:02d}", "kind": "single_family",
                "dwelling_units": 1, "cycle": CYCLE, "route": "R01"}), 201)
            meter = _ok(await api.post("/api/accounts/meters", headers=tech, json={
                "serial": f"RST{i:07d}", "size": "5/8", "dials": 6, "unit": "HCF"}), 201)
            _ok(await api.post(f"/api/accounts/meters/{meter['id']}/install", headers=tech,
                               json={"premise_id": premise["id"], "on_date": "2026-01-02",
                                     "read": "100"}))
            started = _ok(await api.post("/api/accounts/agreements/start", headers=csr, json={
                "start_date": "2026-02-01", "premise_id": premise["id"],
                "customer": {"kind": "person", "name": f"Restart Customer {i}",
                             "mailing_address": address, "phones": ["(559) 555-0101"],
                             "emails": [f"r{i}@example.org"], "language": "en",
                             "paperless": i % 2 == 0, "text_messages": False}}), 201)
            ids.append(started["account"]["id"])
            meters.append(meter["id"])
        for n, meter_id in enumerate(meters):
            deadline = time.monotonic() + 30
            while True:  # billing knows the meter once the relay delivered accounts' events
                r = await api.post("/api/billing/reads", headers=tech, json={
                    "meter_id": meter_id, "read_on": "2026-02-28", "value": str(110 + n)})
                if r.status_code == 201:
                    break
                assert time.monotonic() < deadline, r.text
                await asyncio.sleep(0.2)
    yield ids


async def _blocked_on_lock(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tapline-billing' "
        "AND wait_event_type = 'Lock'"))


async def _announced(conn: asyncpg.Connection, run_id: str) -> tuple[int, int]:
    """BillIssued and EBillReady events in billing's outbox for the run's bills."""
    row = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE o.type = 'billing.BillIssued') AS issued, "
        "count(*) FILTER (WHERE o.type = 'billing.EBillReady') AS ebills "
        "FROM billing.outbox o JOIN billing.bills b "
        "ON b.id::text = coalesce(o.payload->'bill'->>'id', o.payload->>'bill_id') "
        "WHERE b.run_id = $1", uuid.UUID(run_id))
    return int(row["issued"]), int(row["ebills"])


async def test_restart_in_the_middle_of_finalise_leaves_the_run_wholly_not_final_and_it_finalises_after(  # noqa: E501
    own_server: Restartable, accounts: list[str],
):
    tech, sup, sup2 = _h("billing_tech"), _h("supervisor"), {
        "Authorization": f"Bearer {mint_token('supervisor', 'sam2')}"}
    stack = own_server.stack
    async with httpx.AsyncClient(base_url=stack.base, timeout=60) as api:
        run = _ok(await api.post("/api/billing/runs", headers=tech, json={
            "cycle": CYCLE, "period_start": "2026-02-01", "period_end": "2026-02-28"}), 201)
        assert run["bills"] == ACCOUNTS, run
        rid = run["id"]
        _ok(await api.post(f"/api/billing/runs/{rid}/prepare", headers=tech))
        _ok(await api.post(f"/api/billing/runs/{rid}/approve", headers=sup))

        # Hold the ledger so that finalise stops halfway: its bills already marked final,
        # nothing posted yet. Then take the database away under it.
        admin = await asyncpg.connect(own_server.url)
        await admin.execute("BEGIN; LOCK TABLE billing.ledger_entries IN SHARE MODE")
        finalise = asyncio.create_task(api.post(f"/api/billing/runs/{rid}/finalise",
                                                headers=sup2))
        deadline = time.monotonic() + 20
        while not await _blocked_on_lock(admin):
            assert time.monotonic() < deadline, "finalise never reached the ledger"
            await asyncio.sleep(0.05)
        status, red = await own_server.restart()
        assert status == 503 and red["status"] == "down" and red["database"] == "down", red
        interrupted = await finalise
        assert interrupted.status_code == 503, interrupted.text
        assert interrupted.headers["content-type"].startswith("application/problem+json")

        green = await asyncio.to_thread(stack.wait_health, "ok", 60)
        assert green["database"] == "ok"
        assert all(stack.alive().values()), stack.alive()  # reconnected, none restarted

        after = _ok(await api.get(f"/api/billing/runs/{rid}", headers=tech))
        assert after["status"] == "approved" and after["finalised_at"] is None
        conn = await asyncpg.connect(own_server.url)
        try:
            statuses = await conn.fetch(
                "SELECT status, count(*) FROM billing.bills WHERE run_id = $1 GROUP BY 1",
                uuid.UUID(rid))
            assert {r["status"]: r["count"] for r in statuses} == {"draft": ACCOUNTS}
            assert await conn.fetchval(
                "SELECT count(*) FROM billing.ledger_entries e JOIN billing.bills b "
                "ON e.reference = b.id::text WHERE b.run_id = $1", uuid.UUID(rid)) == 0
            assert await _announced(conn, rid) == (0, 0)

            done = _ok(await api.post(f"/api/billing/runs/{rid}/finalise", headers=sup2))
            assert done["status"] == "finalised" and done["bills"] == ACCOUNTS
            posted = await conn.fetch(
                "SELECT b.id, count(e.id) AS n, coalesce(sum(e.amount), 0) AS amount, b.total "
                "FROM billing.bills b LEFT JOIN billing.ledger_entries e "
                "ON e.kind = 'bill' AND e.reference = b.id::text "
                "WHERE b.run_id = $1 GROUP BY b.id", uuid.UUID(rid))
            assert len(posted) == ACCOUNTS
            assert all(r["n"] == 1 and r["amount"] == r["total"] for r in posted), posted
            assert await _announced(conn, rid) == (ACCOUNTS, ACCOUNTS // 2)  # half paperless
        finally:
            await conn.close()
            await admin.close()
        rec = _ok(await api.get("/api/billing/ledger/reconciliation", headers=tech))
        assert rec["ok"] is True, rec


async def _write_payments(url: str, payments: list[tuple[str, str, Decimal]],
                          progress: dict[str, int], down: asyncio.Event) -> None:
    """payments.PaymentPosted events in small transactions, each retried (same payment ids)
    until it commits: the writer, too, lives through the restart. Past half its payments it
    waits for the database to be `down`, so it writes through the restart however fast or
    slow the machine (a loaded one once stopped the server only after the last commit)."""
    db = database(url, "payments")
    try:
        for start in range(0, len(payments), 20):
            if start >= len(payments) // 2:
                await down.wait()
            chunk = payments[start:start + 20]
            while True:
                try:
                    async with db.session() as s:
                        await publish(s, [Event("payments.PaymentPosted", f"account:{acct}", {
                            "payment": {"id": pid, "account_id": acct, "amount": str(amount),
                                        "received_on": "2026-03-05"}}) for pid, acct, amount
                            in chunk])
                        await s.commit()
                    break
                except Exception:  # noqa: BLE001 - the database is restarting
                    progress["retries"] += 1
                    await asyncio.sleep(0.2)
            progress["written"] += len(chunk)
            await asyncio.sleep(0.03)  # a steady stream, so the restart lands in its middle
    finally:
        await db.dispose()


async def _posted(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval(
        "SELECT count(*) FROM billing.ledger_entries WHERE kind = 'payment'"))


async def test_restart_during_an_event_drain_loses_nothing_and_posts_each_payment_once(
    own_server: Restartable, accounts: list[str],
):
    stack = own_server.stack
    total = 2000
    payments = [(str(uuid.uuid4()), accounts[i % len(accounts)], Decimal(i % 97 + 1) / 4)
                for i in range(total)]
    progress = {"written": 0, "retries": 0}
    down = asyncio.Event()
    conn = await asyncpg.connect(own_server.url)
    before = await _posted(conn)
    writer = asyncio.create_task(_write_payments(own_server.url, payments, progress, down))
    deadline = time.monotonic() + 60
    # Restart once billing is applying them and half are written: the relay, billing's inbox
    # and the writer are all in the middle of their work.
    while progress["written"] < total // 2 or await _posted(conn) == before:
        assert time.monotonic() < deadline, "billing never applied a payment"
        await asyncio.sleep(0.02)
    assert progress["written"] < total
    await conn.close()
    status, red = await own_server.restart(down=down)
    assert status == 503 and red["database"] == "down", red
    await writer
    assert progress["retries"] > 0, "the writer never saw the restart"

    green = await asyncio.to_thread(stack.wait_health, "ok", 60)
    assert all(stack.alive().values()), stack.alive()
    conn = await asyncpg.connect(own_server.url)
    try:
        deadline = time.monotonic() + 90
        while await _posted(conn) < before + total:
            assert time.monotonic() < deadline, f"{await _posted(conn) - before} of {total}"
            await asyncio.sleep(0.2)
        rows = await conn.fetch(
            "SELECT reference, count(*) AS n, sum(amount) AS amount FROM billing.ledger_entries "
            "WHERE kind = 'payment' GROUP BY reference")
        by_ref = {r["reference"]: (r["n"], r["amount"]) for r in rows}
        for pid, _, amount in payments:
            assert by_ref[pid] == (1, -amount), (pid, by_ref.get(pid))
        while await conn.fetchval(
                "SELECT (SELECT count(*) FROM billing.inbox WHERE status = 'pending') "
                "+ (SELECT count(*) FROM accounts.inbox WHERE status = 'pending') "
                "+ (SELECT count(*) FROM collections.inbox WHERE status = 'pending')"):
            assert time.monotonic() < deadline, "inboxes never drained"
            await asyncio.sleep(0.2)
        for subscriber in ("billing", "accounts", "collections"):
            assert await conn.fetchval(
                f"SELECT count(*) FROM {subscriber}.inbox WHERE status = 'parked'") == 0
            # every payment reached each service that handles it; the relay copied none to
            # a service that does not, once that service had declared what it handles
            handles = await conn.fetchval(
                f"SELECT count(*) FROM {subscriber}.inbox_types "
                "WHERE type = 'payments.PaymentPosted'")
            copied = await conn.fetchval(
                f"SELECT count(DISTINCT i.payload->'payment'->>'id') FROM {subscriber}.inbox i "
                "JOIN payments.outbox o USING (event_id) JOIN relay.cursors c "
                f"ON c.source = 'payments' AND c.subscriber = '{subscriber}' "
                "WHERE i.type = 'payments.PaymentPosted' AND i.source = 'payments' "
                "AND (i.payload->'payment'->>'received_on') = '2026-03-05' "
                "AND (NOT $1 OR (o.txid, o.id) > (c.filter_txid, c.filter_id))", not handles)
            assert copied == (total if handles else 0), (subscriber, handles, copied)
            assert handles or await conn.fetchval(
                "SELECT filter_txid IS NOT NULL FROM relay.cursors WHERE source = 'payments' "
                "AND subscriber = $1", subscriber)
    finally:
        await conn.close()
    assert green["database"] == "ok"
    async with httpx.AsyncClient(base_url=stack.base, timeout=30) as api:
        rec = _ok(await api.get("/api/billing/ledger/reconciliation",
                                headers=_h("billing_tech")))
    assert rec["ok"] is True, rec
