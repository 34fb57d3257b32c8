"""The daily job: the ladder for the whole district once a day, under one advisory lock. Two
jobs at once (two processes, committed data) assess each late charge once; a day run twice does
nothing new; only an administrator (or the system) runs it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

from sqlalchemy import text

from services.collections.daily import service as daily
from services.collections.ladder import service as ladder
from tests.collections.ladder_helpers import billed, events, run_day
from tests.events.helpers import database

DUE = date(2026, 3, 2)


async def _seed(db, n: int) -> list[uuid.UUID]:
    """`n` accounts with one 100.00 bill due on DUE, committed."""
    bills = [uuid.uuid4() for _ in range(n)]
    async with db.session() as s:
        await s.execute(text(
            "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) "
            "SELECT b, gen_random_uuid(), :bd, :due, 100.00, 'open' "
            "FROM unnest(CAST(:ids AS uuid[])) AS b"),
            {"ids": bills, "bd": DUE - timedelta(days=20), "due": DUE})
        await s.commit()
    return bills


async def _count(db, sql: str) -> int:
    async with db.session() as s:
        return int((await s.execute(text(sql))).scalar_one())


async def test_two_daily_jobs_at_once_assess_the_late_charge_once(fresh_database):
    db = database(fresh_database, "collections")
    try:
        await _seed(db, 30)
        for n in (5, 20):
            async with db.session() as s:
                await daily.run(s, DUE + timedelta(days=n))
                await s.commit()

        async def job() -> dict:
            async with db.session() as s:
                out = await daily.run(s, DUE + timedelta(days=35))
                await s.commit()
                return out

        first, second = await asyncio.gather(job(), job())
        assert sorted([first["ran"], second["ran"]]) == [False, True]
        assert await _count(db, "SELECT count(*) FROM late_charges") == 30
        assert await _count(db, "SELECT count(*) FROM outbox WHERE type = "
                                "'collections.LateChargeAssessed'") == 30
        assert await _count(db, "SELECT count(*) FROM ladder_steps "
                                "WHERE step = 'second_notice'") == 30
    finally:
        await db.dispose()


async def test_two_ladders_at_once_without_the_job_lock_still_take_each_step_once(
        fresh_database):
    """A retried or hand-run `advance` racing the job: the step is unique per bill, so the
    second waits for the first's rows and takes, charges and announces nothing again."""
    db = database(fresh_database, "collections")
    try:
        await _seed(db, 30)
        for n in (5, 20):
            async with db.session() as s:
                await ladder.advance(s, DUE + timedelta(days=n))
                await s.commit()

        async def advance() -> dict:
            async with db.session() as s:
                out = await ladder.advance(s, DUE + timedelta(days=35))
                await s.commit()
                return out

        a, b = await asyncio.gather(advance(), advance())
        assert sorted([a["second_notice"], b["second_notice"]]) == [0, 30]
        assert sorted([a["late_charges"], b["late_charges"]]) == [0, 30]
        assert await _count(db, "SELECT count(*) FROM outbox WHERE type = "
                                "'collections.LateChargeAssessed'") == 30
        assert await _count(db, "SELECT count(*) FROM outbox WHERE type = "
                                "'collections.LadderStepTaken'") == 90
    finally:
        await db.dispose()


async def test_a_day_run_twice_does_nothing_new(client, feed, bound, auth):
    admin = auth("admin", "ada")
    a, _ = await billed(feed, "100.00", str(DUE))
    day = DUE + timedelta(days=35)
    for n in (5, 20):
        await run_day(client, admin, DUE + timedelta(days=n))
    first = await run_day(client, admin, day)
    outbox = (await bound["collections"].execute(text("SELECT count(*) FROM outbox"))).scalar()
    again = await run_day(client, admin, day)
    assert (first["ran"], again["ran"]) == (True, False)
    assert first["ladder"]["second_notice"] == 1 and first["ladder"]["late_charges"] == 1
    assert again["ladder"] == first["ladder"]  # the first run's answer, repeated
    assert (await bound["collections"].execute(text(
        "SELECT count(*) FROM outbox"))).scalar() == outbox
    assert len(await events(bound, "collections.LateChargeAssessed", a.id)) == 1


async def test_only_an_administrator_or_the_system_runs_the_day(client, auth, bound):
    for role, status in (("csr2", 403), ("supervisor", 403), ("system", 200)):
        r = await client.post("/api/collections/daily", params={"today": "2026-01-05"},
                              headers=auth(role))
        assert r.status_code == status, (role, r.text)
    bad = await client.post("/api/collections/daily", params={"today": "0"},
                            headers=auth("admin"))
    assert bad.status_code == 422
