"""Two arrangements' daily steps at once (two sessions, committed data, no job lock): each
arrangement is broken, announced and sent its final notice once, each promise broken once."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import text

from services.collections.arrangements import service
from tests.events.helpers import database


async def _count(db, sql: str) -> int:
    async with db.session() as s:
        return int((await s.execute(text(sql))).scalar_one())


async def test_two_daily_steps_at_once_break_each_arrangement_once(fresh_database):
    db = database(fresh_database, "collections")
    try:
        async with db.session() as s:
            await s.execute(text(
                "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) "
                "SELECT gen_random_uuid(), md5('x' || g)::uuid, date '2026-01-01', "
                "date '2026-01-20', 300.00, 'open' FROM generate_series(1, 25) g"))
            await s.execute(text(
                "INSERT INTO arrangements (id, account_id, kind, status, total, made_on, "
                "created_by, created_role, idempotency_key) SELECT md5('r' || g)::uuid, "
                "md5('x' || g)::uuid, 'deferral', 'active', 300.00, date '2026-02-01', 't', "
                "'csr2', 'k' || g FROM generate_series(1, 25) g"))
            await s.execute(text(
                "INSERT INTO arrangement_instalments (arrangement_id, seq, due_on, amount) "
                "SELECT md5('r' || g)::uuid, 1, date '2026-03-02', 300.00 "
                "FROM generate_series(1, 25) g"))
            await s.execute(text(
                "INSERT INTO promises (id, account_id, promised_on, amount, status, made_on, "
                "created_by) SELECT gen_random_uuid(), md5('y' || g)::uuid, "
                "date '2026-04-01', 10.00, 'open', date '2026-03-25', 't' "
                "FROM generate_series(1, 10) g"))
            await s.commit()

        async def step() -> dict[str, int]:
            async with db.session() as s:
                out = await service.run_daily(s, date(2026, 5, 1))
                await s.commit()
                return out

        a, b = await asyncio.gather(step(), step())
        assert sorted([a["arrangements_broken"], b["arrangements_broken"]]) == [0, 25]
        assert sorted([a["promises_broken"], b["promises_broken"]]) == [0, 10]
        assert await _count(db, "SELECT count(*) FROM outbox WHERE type = "
                                "'collections.ArrangementChanged'") == 25
        assert await _count(db, "SELECT count(*) FROM outbox WHERE type = "
                                "'collections.PromiseChanged'") == 10
        assert await _count(db, "SELECT count(*) FROM notices WHERE kind = 'final_notice' "
                                "AND addressee = 'customer'") == 25
    finally:
        await db.dispose()
