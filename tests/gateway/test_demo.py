"""Demo mode: one login per role with the documented password, loaded once per database."""

from __future__ import annotations

import asyncpg

from gateway.auth.domain import verify_password
from kernel.settings import Settings, get_settings
from tapline.demo import DEMO_PASSWORD, load_demo


async def test_demo_data_creates_one_login_per_staff_role_once(demo_database):
    # `demo_database` is a clone of a database on which `load_demo` ran once and returned True
    # (tests/conftest.py asserts it): the second run of `make run` reuses the data.
    settings = Settings(database_url=demo_database, data_dir=get_settings().data_dir)
    assert await load_demo(settings) is False
    fresh_database = demo_database
    conn = await asyncpg.connect(fresh_database)
    try:
        rows = await conn.fetch("SELECT username, role, password_hash FROM gateway.users")
    finally:
        await conn.close()
    assert sorted((r["username"], r["role"]) for r in rows) == sorted(
        (r, r) for r in ("csr1", "csr2", "billing_tech", "supervisor", "field_tech", "admin"))
    assert all(verify_password(r["password_hash"], DEMO_PASSWORD) for r in rows)


async def test_outside_demo_mode_there_are_no_users(admin_url):
    conn = await asyncpg.connect(admin_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM gateway.users") == 0
    finally:
        await conn.close()
