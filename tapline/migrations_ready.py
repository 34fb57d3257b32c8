"""`python -m tapline.migrations_ready COMPONENT [--wait SECONDS]`: is the component's schema at
the migration heads this code carries?

Kubernetes runs it as each Deployment's init container, so the pods of a new release start only
after the release's migration Job has brought their schema forward, while the old release's
pods keep serving (deploy/k8s/base/migrate-job.yaml). It connects as the component's own login
role (which may read its schema's `alembic_version`), never as the admin. Exit 0: at the heads;
1: not (yet), after waiting; 2: the database could not be reached.
"""

from __future__ import annotations

import argparse
import sys
import time

import psycopg
from alembic.script import ScriptDirectory
from psycopg import sql

from kernel.migrate import COMPONENT_DIRS, alembic_config
from kernel.settings import Settings, get_settings, service_role


def code_heads(component: str) -> set[str]:
    """The revisions this code's migrations end in (several while features branch)."""
    return set(ScriptDirectory.from_config(alembic_config(component)).get_heads())


def database_heads(settings: Settings, component: str) -> set[str]:
    """The revisions the database's schema is at; empty before the first migration."""
    with psycopg.connect(settings.role_dsn(service_role(component)), connect_timeout=5) as conn:
        exists = conn.execute("SELECT to_regclass(%s)",
                              (f'"{component}".alembic_version',)).fetchone()
        if not exists or exists[0] is None:
            return set()
        rows = conn.execute(sql.SQL("SELECT version_num FROM {}.alembic_version").format(
            sql.Identifier(component))).fetchall()
    return {r[0] for r in rows}


def check(settings: Settings, component: str) -> tuple[bool, str]:
    want = code_heads(component)
    have = database_heads(settings, component)
    if have == want:
        return True, f"{component}: at {', '.join(sorted(want))}"
    return False, (f"{component}: database at {', '.join(sorted(have)) or 'nothing'}, "
                   f"this release needs {', '.join(sorted(want))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tapline.migrations_ready",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("component", choices=sorted(COMPONENT_DIRS))
    parser.add_argument("--wait", type=float, default=0.0,
                        help="seconds to keep checking (every 3 s) before giving up")
    args = parser.parse_args(argv)
    settings = get_settings()
    deadline = time.monotonic() + args.wait
    while True:
        try:
            ok, message = check(settings, args.component)
        except psycopg.OperationalError as exc:
            ok, message = False, f"{args.component}: database unreachable ({exc})".strip()
            if time.monotonic() >= deadline:
                print(message, file=sys.stderr, flush=True)
                return 2
        if ok:
            print(message, flush=True)
            return 0
        if time.monotonic() >= deadline:
            print(message, file=sys.stderr, flush=True)
            return 1
        print(message + "; waiting", file=sys.stderr, flush=True)
        time.sleep(3.0)


if __name__ == "__main__":
    sys.exit(main())
