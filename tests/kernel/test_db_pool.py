"""The connection pool hands out live connections without a ping round trip per request."""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy import text

from tests.events.helpers import database


async def test_a_connection_the_server_closed_is_replaced_at_checkout(fresh_database):
    db = database(fresh_database, "accounts")
    try:
        async with db.session() as s:
            first = await s.scalar(text("SELECT pg_backend_pid()"))
            await s.commit()
        admin = await asyncpg.connect(fresh_database)
        try:  # what a database restart or an idle-session timeout does to a pooled connection
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await admin.close()
        await asyncio.sleep(0.3)
        async with db.session() as s:
            second = await s.scalar(text("SELECT pg_backend_pid()"))
            await s.commit()
        assert second != first
    finally:
        await db.dispose()


async def test_a_transaction_costs_no_extra_round_trips(fresh_database):
    """BEGIN, the statements, COMMIT: no ping transaction before each one."""
    db = database(fresh_database, "accounts")
    sent: list[str] = []
    try:
        async with db.session() as s:  # the pool's one connection, watched from now on
            raw = await (await s.connection()).get_raw_connection()
            raw.driver_connection.add_query_logger(lambda q: sent.append(q.query))
            await s.commit()
        for _ in range(5):
            async with db.session() as s:
                await s.execute(text("SELECT 1"))
                await s.commit()
        # (the logger sees simple-protocol commands; a pre-ping would add BEGIN and ROLLBACK)
        assert sent == ["BEGIN;", "COMMIT;"] * 5, sent
    finally:
        await db.dispose()
