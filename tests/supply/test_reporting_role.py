"""The district's reporting login reads the documented views and nothing else.

Metabase, Power BI or Excel pointed at Tapline connect as `tapline_reporting`: every
`reporting_v*` view of every service answers, every table (and every other relation, in any
schema of ours) refuses, nothing can be written, and no view carries a secret, a bank or a card
field. docs/reporting.md lists exactly the views the database has.
"""

from __future__ import annotations

import re

import asyncpg
import pytest

from kernel.settings import REPO_ROOT, SERVICES, Settings, get_settings
from tapline.bootstrap import COMPONENTS, REPORTING_ROLE

#: Column names that would mean a view leaks what it must not (secrets, bank, card, identity).
FORBIDDEN = re.compile(
    r"password|secret|token|seed|totp|bank|routing|card|pan|iban|check_number|"
    r"money_order|id_last4|id_kind|sealed|key")


def _reporting_url(admin_url: str) -> str:
    settings = Settings(database_url=admin_url, data_dir=get_settings().data_dir)
    return settings.role_dsn(REPORTING_ROLE)


async def _relations(admin_url: str) -> list[tuple[str, str, str]]:
    conn = await asyncpg.connect(admin_url)
    try:
        rows = await conn.fetch(
            "SELECT n.nspname, c.relname, c.relkind::text AS relkind FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "ORDER BY 1, 2", list(COMPONENTS))
    finally:
        await conn.close()
    return [(r["nspname"], r["relname"], r["relkind"]) for r in rows]


def _is_view(name: str, kind: str) -> bool:
    return kind == "v" and name.startswith("reporting_v")


async def test_the_reporting_login_reads_every_reporting_view_of_every_service(admin_url):
    views = [(s, n) for s, n, k in await _relations(admin_url) if _is_view(n, k)]
    assert {s for s, _ in views} == set(SERVICES)
    conn = await asyncpg.connect(_reporting_url(admin_url))
    try:
        for schema, name in views:
            await conn.fetch(f'SELECT * FROM "{schema}"."{name}" LIMIT 1')
    finally:
        await conn.close()


async def test_the_reporting_login_is_refused_every_table_and_every_other_relation(admin_url):
    others = [(s, n) for s, n, k in await _relations(admin_url) if not _is_view(n, k)]
    assert ("billing", "ledger_entries") in others and ("payments", "saved_methods") in others
    conn = await asyncpg.connect(_reporting_url(admin_url))
    try:
        granted = await conn.fetch(
            "SELECT n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY($1::text[]) AND NOT (c.relkind = 'v' AND "
            "c.relname LIKE 'reporting\\_v%') AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND (has_table_privilege(c.oid, 'SELECT') OR has_table_privilege(c.oid, 'INSERT') "
            "OR has_table_privilege(c.oid, 'UPDATE') OR has_table_privilege(c.oid, 'DELETE'))",
            list(COMPONENTS))
        assert granted == []
        for schema, name in [("billing", "ledger_entries"), ("accounts", "customers"),
                             ("payments", "payments"), ("payments", "saved_methods"),
                             ("collections", "notices"), ("gateway", "alembic_version"),
                             ("relay", "cursors")]:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetch(f'SELECT 1 FROM "{schema}"."{name}" LIMIT 1')
    finally:
        await conn.close()


async def test_the_reporting_login_writes_nothing_not_even_through_a_view(admin_url):
    conn = await asyncpg.connect(_reporting_url(admin_url))
    try:
        assert await conn.fetchval("SHOW default_transaction_read_only") == "on"
        for stmt in ("DELETE FROM billing.reporting_v1_ledger_entries",
                     "UPDATE payments.reporting_v1_payments SET amount = 0",
                     "CREATE TABLE billing.mine (x int)",
                     "CREATE TABLE public.mine (x int)"):
            with pytest.raises((asyncpg.InsufficientPrivilegeError,
                                asyncpg.ReadOnlySQLTransactionError)):
                await conn.execute(stmt)
        await conn.execute("SET default_transaction_read_only = off")  # a session may; the
        with pytest.raises(asyncpg.InsufficientPrivilegeError):      # grants still refuse
            await conn.execute("DELETE FROM billing.reporting_v1_ledger_entries")
    finally:
        await conn.close()


async def test_no_reporting_view_carries_a_secret_a_bank_or_a_card_field(admin_url):
    conn = await asyncpg.connect(admin_url)
    try:
        columns = await conn.fetch(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE table_name LIKE 'reporting\\_v%' AND table_schema = ANY($1::text[])",
            list(SERVICES))
    finally:
        await conn.close()
    assert columns
    leaks = [tuple(c) for c in columns if FORBIDDEN.search(c["column_name"])]
    assert leaks == []


async def test_docs_list_exactly_the_views_the_database_has(admin_url):
    views = {f"{s}.{n}" for s, n, k in await _relations(admin_url) if _is_view(n, k)}
    doc = (REPO_ROOT / "docs" / "reporting.md").read_text()
    documented = set(re.findall(r"`((?:accounts|billing|payments|collections)"
                                r"\.reporting_v\d+_\w+)`", doc))
    assert documented == views
