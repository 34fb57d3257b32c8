"""Database bootstrap: roles, schemas, grants and every component's migrations, idempotently.

Each component gets a NOLOGIN owner role (owns its schema objects; migrations run as it) and a
LOGIN role its process uses, which can touch only its own schema. The relay's role may read
outboxes and the event types each service handles, append to inboxes and see the server's
activity statistics, nothing else. Tables commented `append-only` (the audit trail, the outbox,
ledgers) lose UPDATE, DELETE and TRUNCATE for the login role.
"""

from __future__ import annotations

import logging

import psycopg
from psycopg import sql

from kernel.migrate import COMPONENT_DIRS, upgrade
from kernel.settings import SERVICES, Settings, owner_role, role_password, service_role

COMPONENTS: tuple[str, ...] = tuple(COMPONENT_DIRS)

#: The district's reporting login (docs/reporting.md): reads each service's `reporting_v*`
#: views and nothing else, in read-only transactions.
REPORTING_ROLE = "tapline_reporting"

log = logging.getLogger("tapline.bootstrap")


def _ensure_role(conn: psycopg.Connection, name: str, password: str | None) -> None:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    if password is None:
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        return
    verb = "ALTER" if exists else "CREATE"
    conn.execute(
        sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(password)
        )
    )


def ensure_roles_and_schemas(settings: Settings) -> None:
    with psycopg.connect(settings.admin_dsn(), autocommit=True) as conn:
        me = conn.execute("SELECT current_user").fetchone()
        dbname = conn.execute("SELECT current_database()").fetchone()
        assert me and dbname
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public")
        conn.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public")
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(
            sql.Identifier(dbname[0])))
        conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        for c in COMPONENTS:
            owner, login = owner_role(c), service_role(c)
            _ensure_role(conn, owner, None)
            _ensure_role(conn, login, role_password(settings, login))
            # No JIT for Tapline's sessions. Its heavy statements run with nested loops off
            # (bill runs, the collections ladder), which the planner prices at billions: a
            # server with JIT (Debian's and most managed ones; the embedded one has none) then
            # compiled each with full optimisation, 14 s for a bill run of three accounts.
            conn.execute(sql.SQL("ALTER ROLE {} SET jit = off").format(sql.Identifier(login)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(
                sql.Identifier(owner), sql.Identifier(me[0])))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(dbname[0]), sql.Identifier(login)))
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(
                sql.Identifier(c), sql.Identifier(owner)))
            conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(
                sql.Identifier(c)))
        # Reporting (issue 15): the login for the district's own tools; its grants are made in
        # `apply_grants`, on the views the services' migrations create.
        reporting = sql.Identifier(REPORTING_ROLE)
        _ensure_role(conn, REPORTING_ROLE, role_password(settings, REPORTING_ROLE))
        conn.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(
            reporting))
        conn.execute(sql.SQL("ALTER ROLE {} SET jit = off").format(reporting))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(dbname[0]), reporting))


def apply_grants(settings: Settings) -> None:
    with psycopg.connect(settings.admin_dsn(), autocommit=True) as conn:
        for c in COMPONENTS:
            s, login = sql.Identifier(c), sql.Identifier(service_role(c))
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, login))
            conn.execute(sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}"
            ).format(s, login))
            conn.execute(sql.SQL(
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, login))
            conn.execute(sql.SQL(
                "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {} TO {}").format(s, login))
            append_only = conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') "
                "AND obj_description(c.oid, 'pg_class') LIKE 'append-only%%'",
                (c,),
            ).fetchall()
            for (table,) in append_only:
                conn.execute(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {}.{} FROM {}").format(
                    s, sql.Identifier(table), login))
        relay = sql.Identifier(service_role("relay"))
        for svc in SERVICES:
            s = sql.Identifier(svc)
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, relay))
            conn.execute(sql.SQL("GRANT SELECT ON {}.outbox TO {}").format(s, relay))
            conn.execute(sql.SQL("GRANT SELECT ON {}.inbox_types TO {}").format(s, relay))
            conn.execute(sql.SQL("GRANT INSERT ON {}.inbox TO {}").format(s, relay))
            conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE {}.inbox_position_seq TO {}").format(
                s, relay))
        # Reporting (issue 15): each service's `reporting_v*` views, never a table. The views run
        # with their owner's rights; schema USAGE alone reads nothing.
        reporting = sql.Identifier(REPORTING_ROLE)
        for svc in SERVICES:
            conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(
                sql.Identifier(svc), reporting))
            views = conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'v' AND c.relname LIKE 'reporting\\_v%%'",
                (svc,),
            ).fetchall()
            for (view,) in views:
                conn.execute(sql.SQL("GRANT SELECT ON {}.{} TO {}").format(
                    sql.Identifier(svc), sql.Identifier(view), reporting))
        # To name the transaction that holds events back (its age, user and pid) the relay
        # must see other roles' rows of pg_stat_activity: statistics only, no data.
        try:
            conn.execute(sql.SQL("GRANT pg_read_all_stats TO {}").format(relay))
        except psycopg.errors.InsufficientPrivilege:
            log.warning("cannot grant pg_read_all_stats to the relay: its lag alarm will not "
                        "name the transaction that holds events back")


def migrate_all(settings: Settings) -> None:
    ensure_roles_and_schemas(settings)
    admin = settings.admin_dsn()
    for c in COMPONENTS:
        upgrade(admin, c)
    apply_grants(settings)
