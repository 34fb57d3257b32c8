"""The end-of-run scan sees what tests commit to a database and knows the tests' passwords."""

from __future__ import annotations

import json
import os
from pathlib import Path

import psycopg

from tapline.demo import DEMO_PASSWORD
from tapline.secretscan import scan_file
from tests import leakcheck
from tests.gateway.factories import PASSWORD


def test_the_password_list_has_the_demo_the_factories_and_the_database_passwords():
    found = leakcheck.passwords("postgresql://postgres:admin-secret-pw@127.0.0.1:1/postgres")
    roles = json.loads((Path(os.environ["TAPLINE_DATA_DIR"]) / "secrets.json").read_text())
    assert {DEMO_PASSWORD, PASSWORD, "wrong-password", "admin-secret-pw"} <= found
    assert set(map(str, roles.values())) <= found
    assert "nope" not in found  # too short to look for without matching ordinary words


def test_a_card_number_committed_to_a_test_database_is_found_in_its_dump(fresh_database, tmp_path):
    with psycopg.connect(fresh_database, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.planted (note text)")
        conn.execute("INSERT INTO public.planted VALUES ('paid with 4111 1111 1111 1111')")
        try:
            dump = leakcheck.dump_database(fresh_database, into=tmp_path)
        finally:  # the database's own dump, when the fixture drops it, must stay clean
            conn.execute("DROP TABLE public.planted")
    assert [f.kind for f in scan_file(dump)] == ["card number"]
