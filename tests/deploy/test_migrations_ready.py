"""A new release's pods wait until the migration Job has brought their schema to the heads the
image carries (tapline/migrations_ready.py, every Deployment's init container)."""

from __future__ import annotations

import psycopg

from kernel.settings import Settings, get_settings
from tapline import migrations_ready


def test_a_component_at_its_heads_is_ready_and_one_behind_is_not(fresh_database):
    settings = Settings(database_url=fresh_database, data_dir=get_settings().data_dir)
    ok, message = migrations_ready.check(settings, "billing")
    assert ok and message.startswith("billing: at billing_")
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute("UPDATE billing.alembic_version SET version_num = 'billing_0001'")
    ok, message = migrations_ready.check(settings, "billing")
    assert not ok and "database at billing_0001, this release needs billing_" in message
    assert migrations_ready.check(settings, "accounts")[0]  # other components are unaffected


def test_the_gate_connects_as_the_component_s_own_login_and_exits_by_the_answer(
        fresh_database, monkeypatch):
    monkeypatch.setenv("TAPLINE_DATABASE_URL", fresh_database)
    get_settings.cache_clear()
    try:
        assert migrations_ready.main(["payments"]) == 0
        with psycopg.connect(fresh_database, autocommit=True) as conn:
            conn.execute("DELETE FROM payments.alembic_version")
        assert migrations_ready.main(["payments", "--wait", "0"]) == 1
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
