"""Each service's database role can touch only its own schema; audit trails are append-only."""

from __future__ import annotations

import asyncpg
import pytest

from tests.events.helpers import role_url


@pytest.mark.parametrize("other", ["billing", "payments", "collections", "gateway", "relay"])
async def test_accounts_role_cannot_read_another_services_tables(admin_url, other):
    conn = await asyncpg.connect(role_url(admin_url, "accounts"))
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch(f"SELECT * FROM {other}.audit_log" if other != "relay"
                             else "SELECT * FROM relay.cursors")
    finally:
        await conn.close()


async def test_a_service_cannot_rewrite_or_erase_its_own_audit_trail(admin_url):
    conn = await asyncpg.connect(role_url(admin_url, "billing"))
    try:
        async with conn.transaction():
            await conn.execute("INSERT INTO billing.audit_log (actor, action, entity, entity_id) "
                               "VALUES ('u', 'create', 'bill', '1')")
            for stmt in ("UPDATE billing.audit_log SET reason = 'hidden'",
                         "DELETE FROM billing.audit_log", "TRUNCATE billing.audit_log"):
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    async with conn.transaction():
                        await conn.execute(stmt)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await conn.close()


async def test_published_events_cannot_be_edited_by_the_service(admin_url):
    conn = await asyncpg.connect(role_url(admin_url, "accounts"))
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("DELETE FROM accounts.outbox")
    finally:
        await conn.close()


async def test_the_relay_reads_outboxes_but_not_business_tables(admin_url):
    conn = await asyncpg.connect(role_url(admin_url, "relay"))
    try:
        await conn.fetch("SELECT event_id FROM accounts.outbox LIMIT 1")
        await conn.fetch("SELECT type FROM billing.inbox_types")  # what billing handles
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch("SELECT * FROM accounts.audit_log")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch("SELECT * FROM accounts.inbox")
    finally:
        await conn.close()


class _Rollback(Exception):
    pass
