"""One PostgreSQL server per test run; each test runs inside a transaction that is rolled back.

The server is the embedded one (or `TEST_DATABASE_URL`, an admin URL to a scratch server). The
database `tapline_template` is migrated once; `tapline` is cloned from it for in-process tests,
and tests that need real commits across processes clone their own (`fresh_database`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

_TMP = Path(tempfile.mkdtemp(prefix="tapline-test-"))
os.environ.setdefault("TAPLINE_DATA_DIR", str(_TMP))
os.environ["TAPLINE_DEMO"] = "0"
os.environ.setdefault("TAPLINE_LOG_LEVEL", "WARNING")


def _admin_url(server_url: str, db: str) -> str:
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{db}"


def _start_server() -> tuple[str, Any]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url, None
    from tapline.pgserver import EmbeddedPostgres, free_port

    pg = EmbeddedPostgres(
        _TMP / "pg", free_port(),
        settings={"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
    )
    pg.start()
    return pg.admin_url("postgres"), pg


_SERVER_URL, _PG = _start_server()
TEMPLATE = "tapline_template"


def clone_database(name: str) -> str:
    with psycopg.connect(_admin_url(_SERVER_URL, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')
    return _admin_url(_SERVER_URL, name)


DEMO_TEMPLATE = "tapline_demo_template"
_demo_template: dict[str, object] = {}


def clone_demo_database(name: str) -> str:
    """A database of its own holding the demo district (`tapline.demo.load_demo` with today's
    date, as `make run` loads it), cloned from a template loaded once per run: a load costs
    about 40 s, a clone about one. A test may change its clone freely; the template is never
    connected to after its load."""
    if not _demo_template:
        import asyncio

        from kernel.settings import Settings, get_settings
        from tapline.demo import load_demo

        url = clone_database(DEMO_TEMPLATE)
        assert asyncio.run(load_demo(Settings(database_url=url,
                                              data_dir=get_settings().data_dir))) is True
        _demo_template["url"] = url
    with psycopg.connect(_admin_url(_SERVER_URL, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{DEMO_TEMPLATE}" STRATEGY FILE_COPY')
    return _admin_url(_SERVER_URL, name)


def drop_database(name: str) -> None:
    """Dropped after its rows are kept for the end-of-run secret scan (tests/leakcheck.py)."""
    from tests import leakcheck

    with psycopg.connect(_admin_url(_SERVER_URL, "postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            leakcheck.dump_database(_admin_url(_SERVER_URL, name))
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepare() -> str:
    with psycopg.connect(_admin_url(_SERVER_URL, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
    os.environ["TAPLINE_DATABASE_URL"] = _admin_url(_SERVER_URL, TEMPLATE)
    from kernel.keys import ensure_keys
    from kernel.settings import get_settings
    from tapline.bootstrap import migrate_all

    get_settings.cache_clear()
    settings = get_settings()
    ensure_keys(settings)
    migrate_all(settings)
    url = clone_database("tapline")
    os.environ["TAPLINE_DATABASE_URL"] = url
    get_settings.cache_clear()
    return url


ADMIN_URL = _prepare()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    from tests import leakcheck

    leakcheck.record_report(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from tests import leakcheck

    try:
        leakcheck.finish(session, _admin_url(_SERVER_URL, "postgres"),
                         ["tapline", TEMPLATE, DEMO_TEMPLATE])
    finally:
        if _PG is not None:
            _PG.stop()
    # A green run leaves nothing behind (a run's folder reaches ~170 MB); a red one keeps its
    # logs, dumps and database files for whoever looks into it.
    if session.exitstatus == 0 and not os.environ.get("TAPLINE_KEEP_TEST_DATA"):
        shutil.rmtree(_TMP, ignore_errors=True)
    else:
        print(f"\ntest data kept in {_TMP}")


@pytest.fixture(scope="session")
def admin_url() -> str:
    return ADMIN_URL


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A database of its own (cloned from the migrated template) for multi-process tests."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    url = clone_database(name)
    try:
        yield url
    finally:
        drop_database(name)


@pytest.fixture
def demo_database() -> Iterator[str]:
    """Like `fresh_database`, with the demo district already loaded (`clone_demo_database`)."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    url = clone_demo_database(name)
    try:
        yield url
    finally:
        drop_database(name)


# ---- in-process apps --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def service_apps() -> dict[str, Any]:
    from nightly.app import create_app as nightly
    from services.accounts.app import create_app as accounts
    from services.billing.app import create_app as billing
    from services.collections.app import create_app as collections
    from services.payments.app import create_app as payments

    return {"accounts": accounts(), "billing": billing(), "payments": payments(),
            "collections": collections(), "nightly": nightly()}


@pytest.fixture(scope="session")
def gateway_app(service_apps: dict[str, Any]) -> Any:
    import httpx

    from gateway.app import create_app

    transports = {name: httpx.ASGITransport(app=app) for name, app in service_apps.items()}
    return create_app(transports=transports)


@pytest.fixture
async def bound(service_apps: dict[str, Any], gateway_app: Any) -> AsyncIterator[dict[str, Any]]:
    """Every app's sessions run in one open transaction per app, rolled back after the test."""
    opened = []
    conns: dict[str, Any] = {}
    for name, app in [*service_apps.items(), ("gateway", gateway_app)]:
        db = app.state.db
        conn = await db.engine.connect()
        trans = await conn.begin()
        db.bind(conn)
        opened.append((db, conn, trans))
        conns[name] = conn
    try:
        yield conns
    finally:
        for db, conn, trans in opened:
            await trans.rollback()
            await conn.close()
            db.bind(None)


@pytest.fixture
async def client(bound: dict[str, Any], gateway_app: Any) -> AsyncIterator[Any]:
    """An HTTP client for the whole API, through the gateway, isolated per test."""
    import httpx

    transport = httpx.ASGITransport(app=gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def mint_token(role: str, sub: str | None = None, accounts: tuple[str, ...] = (),
               minutes: int | None = None) -> str:
    from kernel.auth import issue_access_token
    from kernel.keys import private_key
    from kernel.settings import get_settings

    settings = get_settings()
    token, _ = issue_access_token(private_key(settings), settings, sub or role, role, role,
                                  accounts, minutes)
    return token


@pytest.fixture
def auth() -> Any:
    """`auth("csr1")` -> headers with a valid bearer token for that role."""

    def make(role: str, sub: str | None = None, accounts: tuple[str, ...] = ()) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(role, sub, accounts)}"}

    return make


@pytest.fixture
def pump(bound: dict[str, Any], service_apps: dict[str, Any]) -> Any:
    """In-process stand-in for the relay inside the test's transactions.

    `await pump("accounts", "billing")` copies the source's outbox into the subscriber's inbox
    (exactly as the relay does, by event id) and applies it with the subscriber's processor.
    The real relay is exercised by tests/events against committed data.
    """
    from sqlalchemy import text

    async def run(source: str, subscriber: str) -> int:
        rows = (await bound[source].execute(text(
            "SELECT event_id, type, version, key, key_seq, payload, occurred_at "
            "FROM outbox ORDER BY txid, id"))).all()
        for r in rows:
            await bound[subscriber].execute(
                text("INSERT INTO inbox (event_id, source, type, version, key, key_seq, "
                     "payload, occurred_at) VALUES (:e, :s, :t, :v, :k, :q, :p, :o) "
                     "ON CONFLICT DO NOTHING"),
                {"e": r.event_id, "s": source, "t": r.type, "v": r.version, "k": r.key,
                 "q": r.key_seq, "p": __import__("json").dumps(r.payload), "o": r.occurred_at},
            )
        return int(await service_apps[subscriber].state.inbox.drain())

    return run
