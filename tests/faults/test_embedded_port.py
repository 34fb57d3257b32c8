"""`make run` when the embedded database's port is taken (another checkout's database is
running): one line naming the port and the setting to change, never a traceback."""

from __future__ import annotations

import json
import os
import socket
import uuid
from pathlib import Path

import psycopg
import pytest

from kernel.settings import get_settings
from tapline import run as run_module
from tapline.pgserver import DatabaseStartError, EmbeddedPostgres, free_port
from tests import leakcheck


@pytest.fixture
def taken_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


@pytest.fixture
def own_checkout(monkeypatch):
    """Settings as a second checkout of `make run` sees them: its own data directory and the
    embedded database (no DATABASE_URL). Under the suite's data directory, not pytest's shared
    temporary base: the server runs as another user, which must keep access to every parent."""
    data = Path(os.environ["TAPLINE_DATA_DIR"]) / f"checkout-{uuid.uuid4().hex[:8]}"
    data.mkdir()
    leakcheck.SKIP.extend([data / "pgdata", data / "pg.json", data / "secrets.json",
                           data / "keys"])
    monkeypatch.delenv("TAPLINE_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("TAPLINE_DATA_DIR", str(data))
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


def test_make_run_with_the_database_port_taken_says_which_port_and_setting_in_one_line(
    own_checkout, taken_port, monkeypatch, capsys
):
    monkeypatch.setenv("TAPLINE_EMBEDDED_PG_PORT", str(taken_port))
    monkeypatch.setenv("PORT", str(free_port()))
    monkeypatch.setattr(run_module, "DEFAULT_PORTS", {})  # other helpers' stacks may be up

    assert run_module.run() == 1

    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    assert str(taken_port) in out[0] and "TAPLINE_EMBEDDED_PG_PORT" in out[0]
    assert "Traceback" not in out[0]


def test_the_port_setting_moves_an_existing_embedded_database(own_checkout, taken_port):
    first = EmbeddedPostgres(own_checkout, taken_port)
    with pytest.raises(DatabaseStartError, match=str(taken_port)):
        first.start()

    port = free_port()
    pg = EmbeddedPostgres(own_checkout, port)
    pg.start()
    try:
        assert json.loads((own_checkout / "pg.json").read_text())["port"] == port
        with psycopg.connect(pg.admin_url()) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        pg.stop()


def test_ports_handed_to_a_stack_are_distinct_and_outside_the_kernels_ephemeral_range():
    """A stack asks for eight ports before any process listens; an ephemeral port could be
    taken meanwhile by a connection to PostgreSQL, and the same port twice by two processes."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    assert all(p < low for p in ports)
