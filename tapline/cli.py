"""`tapline` command: database, migrations, demo data, users, events, running the system."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
import uuid
from typing import Any

from kernel.settings import SERVICES, Settings, get_settings, service_role


def _db(settings: Settings, component: str) -> Any:
    from kernel.db import Database

    return Database(settings.role_dsn(service_role(component)), component, settings,
                    f"tapline-cli-{component}")


async def _with_session(settings: Settings, component: str, fn: Any) -> Any:
    db = _db(settings, component)
    try:
        async with db.session() as session:
            result = await fn(session)
            await session.commit()
            return result
    finally:
        await db.dispose()


def cmd_setup(args: argparse.Namespace) -> int:
    from tapline.run import setup

    setup(get_settings())
    print("Database ready, migrations applied.")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from tapline.pgserver import EmbeddedPostgres

    settings = get_settings()
    pg = EmbeddedPostgres(settings.data_dir, settings.embedded_pg_port)
    if args.action == "start":
        pg.start()
        print(pg.admin_url())
    else:
        pg.stop()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from tapline.bootstrap import migrate_all

    migrate_all(get_settings())
    print("Migrations applied.")
    return 0


def cmd_users_create(args: argparse.Namespace) -> int:
    from gateway.auth.schemas import UserCreate
    from gateway.auth.service import create_user

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()
    data = UserCreate(username=args.username, display_name=args.name or args.username,
                      role=args.role, password=password)
    out = asyncio.run(_with_session(get_settings(), "gateway",
                                    lambda s: create_user(s, None, data)))
    print(f"Created {out.username} ({out.role}).")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from kernel.events_admin import list_parked, replay

    settings = get_settings()
    if args.action == "parked":
        rows = asyncio.run(_with_session(settings, args.service, lambda s: list_parked(s, 1000)))
        for r in rows:
            print(json.dumps(r.model_dump(mode="json")))
        print(f"{len(rows)} parked event(s) in {args.service}.", file=sys.stderr)
    elif args.action == "replay":
        event_id = uuid.UUID(args.event_id) if args.event_id else None
        n = asyncio.run(_with_session(settings, args.service, lambda s: replay(s, event_id)))
        print(f"{n} event(s) put back in line.")
    elif args.action == "rewind":
        asyncio.run(_rewind(settings, args.source, args.service))
        print(f"{args.service} will receive {args.source}'s events again from the start.")
    return 0


async def _rewind(settings: Settings, source: str, subscriber: str) -> None:
    import asyncpg

    from relay.core import Relay

    pool = await asyncpg.create_pool(settings.role_dsn(service_role("relay")), max_size=1)
    try:
        await Relay(pool).rewind(source, subscriber)
    finally:
        await pool.close()


def cmd_run(args: argparse.Namespace) -> int:
    from tapline.run import run

    return run()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="tapline", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("run", help="start everything (database, services, gateway, relay)"
                   ).set_defaults(fn=cmd_run)
    sub.add_parser("setup", help="start the database and apply migrations (and demo data)"
                   ).set_defaults(fn=cmd_setup)
    sub.add_parser("migrate", help="apply every component's migrations").set_defaults(
        fn=cmd_migrate)
    db = sub.add_parser("db", help="the embedded PostgreSQL")
    db.add_argument("action", choices=["start", "stop"])
    db.set_defaults(fn=cmd_db)
    users = sub.add_parser("users", help="user administration").add_subparsers(
        dest="ucmd", required=True)
    uc = users.add_parser("create", help="create a user (password prompted)")
    uc.add_argument("--username", required=True)
    uc.add_argument("--role", required=True,
                    choices=["csr1", "csr2", "billing_tech", "supervisor", "field_tech", "admin",
                             "customer"])
    uc.add_argument("--name")
    uc.add_argument("--password-stdin", action="store_true")
    uc.set_defaults(fn=cmd_users_create)
    ev = sub.add_parser("events", help="parked events and replays")
    ev.add_argument("action", choices=["parked", "replay", "rewind"])
    ev.add_argument("service", choices=SERVICES, help="the consuming service")
    ev.add_argument("--event-id", help="replay one parked event (default: all)")
    ev.add_argument("--source", choices=SERVICES, help="rewind: the source to replay from")
    ev.set_defaults(fn=cmd_events)
    args = p.parse_args(argv)
    if args.cmd == "events" and args.action == "rewind" and not args.source:
        p.error("rewind needs --source")
    from tapline.pgserver import DatabaseStartError

    try:
        return int(args.fn(args))
    except DatabaseStartError as exc:  # an operator's problem, said in one line
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
