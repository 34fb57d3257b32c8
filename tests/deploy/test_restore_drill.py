"""The restore drill restores a dump into a scratch database and proves it is whole - or says
exactly what is not (deploy/restore-drill.sh, tapline/restore_drill.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg

from tapline import restore_drill
from tests.deploy.tools import REPO


def _checks(checks: list[restore_drill.Check]) -> dict[str, restore_drill.Check]:
    return {c.name: c for c in checks}


def _scratch_gone(url: str, name: str) -> bool:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (name,)).fetchone() is None


def test_a_dump_of_the_demo_district_restores_and_every_check_passes(demo_database):
    fresh_database = demo_database  # the demo district, loaded as `make run` loads it
    with psycopg.connect(fresh_database) as conn:
        row = conn.execute("SELECT (SELECT count(*) FROM billing.ledger_entries), "
                           "(SELECT count(*) FROM accounts.outbox)").fetchone()
    assert row is not None and row[1] > 0  # the demo wrote events: the checks have work to do
    status, checks = restore_drill.drill(fresh_database, None, scratch="drill_demo_ok")
    by = _checks(checks)
    assert status == 0, [c.line() for c in checks]
    assert by["billing ledger reconciles"].ok
    assert by["accounts outbox"].detail.startswith(f"{row[1]} events")
    assert all(by[f"{c} migrations"].ok and not by[f"{c} migrations"].warning
               for c in ("gateway", "relay", "accounts", "billing", "payments", "collections"))
    assert _scratch_gone(fresh_database, "drill_demo_ok")


def test_a_dump_missing_an_event_and_with_a_bill_off_its_lines_fails_the_drill(
        demo_database, tmp_path):
    fresh_database = demo_database  # the demo district, loaded as `make run` loads it
    with psycopg.connect(fresh_database) as conn:
        # An accounts event billing has received (as the relay copies it) goes missing from
        # the middle of its key's history: what a restore stitched from two moments looks like.
        gone = conn.execute(
            "SELECT o.id FROM accounts.outbox o WHERE o.key_seq = 1 AND EXISTS "
            "(SELECT 1 FROM accounts.outbox n WHERE n.key = o.key AND n.key_seq = 2) "
            "ORDER BY o.id LIMIT 1").fetchone()
        assert gone is not None
        conn.execute("INSERT INTO billing.inbox (event_id, source, type, version, key, key_seq, "
                     "payload, occurred_at) SELECT event_id, 'accounts', type, version, key, "
                     "key_seq, payload, occurred_at FROM accounts.outbox WHERE id = %s "
                         # the demo may have delivered it already (billing catches up on
                         # accounts' events to load its AMI demo)
                         "ON CONFLICT DO NOTHING", gone)
        conn.execute("DELETE FROM accounts.outbox WHERE id = %s", gone)
        # A final bill of 12.34 with no lines and never posted to the ledger.
        conn.execute("INSERT INTO billing.bills (id, run_id, account_id, period_start, "
                     "period_end, status, total) VALUES (gen_random_uuid(), gen_random_uuid(), "
                     "gen_random_uuid(), '2026-01-01', '2026-01-31', 'final', 12.34)")
    dump = tmp_path / "district.dump"
    restore_drill.take_dump(fresh_database, dump)
    status, checks = restore_drill.drill(fresh_database, dump, scratch="drill_demo_bad")
    by = _checks(checks)
    assert status == 1
    assert not by["accounts outbox"].ok and "1 keys with a hole" in by["accounts outbox"].detail
    assert not by["billing inbox from accounts"].ok
    assert by["billing inbox from accounts"].detail.startswith("1 events")
    ledger = by["billing ledger reconciles"]
    assert not ledger.ok
    assert "bills not matching lines 1, final bills not posted 1" in ledger.detail
    assert by["payments inbox from billing"].ok  # what is whole is still said to be
    assert _scratch_gone(fresh_database, "drill_demo_bad")


def test_a_file_that_is_no_dump_is_a_failed_restore_and_leaves_no_database(
        admin_url, tmp_path):
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a dump")
    status, checks = restore_drill.drill(admin_url, junk, scratch="drill_junk")
    assert status == 2 and checks[0].name == "restore" and not checks[0].ok
    assert _scratch_gone(admin_url, "drill_junk")


def test_the_script_runs_the_drill_on_the_live_database_and_prints_each_check(fresh_database):
    env = {**os.environ, "DATABASE_URL": fresh_database,
           "PYTHON": str(Path(REPO, ".venv", "bin", "python"))}
    env.pop("TAPLINE_DATABASE_URL", None)
    out = subprocess.run([str(REPO / "deploy" / "restore-drill.sh"), "--from-live",
                          "--scratch", "drill_script"], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "[ok  ] billing ledger reconciles" in out.stdout
    assert out.stdout.rstrip().endswith("restore drill: passed")
