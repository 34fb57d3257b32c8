"""Demo mode: a fictional district with one login per role, loaded once per database.

Only `TAPLINE_DEMO=1` (set by `make run`) loads it. Outside demo mode there is no default user
and no default password: create the first administrator with `tapline users create`.
"""

from __future__ import annotations

import importlib
import logging
from datetime import date
from typing import Any

from sqlalchemy import text

from gateway.auth.schemas import UserCreate
from gateway.auth.service import create_user
from kernel.clock import utility_today
from kernel.db import Database
from kernel.settings import SERVICES, Settings, service_role

log = logging.getLogger("tapline.demo")

DEMO_PASSWORD = "tapline-demo"  # noqa: S105 - documented public demo password, demo mode only
DEMO_USERS: list[tuple[str, str, str]] = [
    ("csr1", "csr1", "Casey Rivera (CSR I)"),
    ("csr2", "csr2", "Jordan Lee (CSR II)"),
    ("billing_tech", "billing_tech", "Morgan Patel (Billing Technician)"),
    ("supervisor", "supervisor", "Alex Romero (Supervisor)"),
    ("field_tech", "field_tech", "Sam Ortiz (Field Technician)"),
    ("admin", "admin", "Riley Chen (Administrator)"),
]


def _db(settings: Settings, component: str) -> Database:
    return Database(settings.role_dsn(service_role(component)), component, settings,
                    f"tapline-demo-{component}")


async def load_demo(settings: Settings, today: date | None = None) -> bool:
    """Load demo data once; returns False when it was already loaded."""
    today = today or utility_today()
    gw = _db(settings, "gateway")
    try:
        async with gw.session() as session:
            done = (await session.execute(
                text("SELECT 1 FROM system_flags WHERE name = 'demo_loaded'"))).first()
            if done:
                return False
            for username, role, name in DEMO_USERS:
                await create_user(
                    session, None,
                    UserCreate(username=username, display_name=name, role=role,
                               password=DEMO_PASSWORD),
                    enforce_policy=False,
                )
            for service in SERVICES:
                await _service_demo(settings, service, today)
            await session.execute(text("INSERT INTO system_flags (name) VALUES ('demo_loaded')"))
            await session.commit()
    finally:
        await gw.dispose()
    # after the commit: the relay copies nothing while an older transaction is open
    await _ami_demo(settings, today)
    return True


async def _service_demo(settings: Settings, service: str, today: date) -> None:
    try:
        module: Any = importlib.import_module(f"services.{service}.demo")
    except ModuleNotFoundError:
        return
    db = _db(settings, service)
    try:
        async with db.session() as session:
            await module.load_demo(session, today)
            await session.commit()
        log.info("demo data loaded for %s", service)
    finally:
        await db.dispose()


# ---- AMI demo (issue 12, courtesy calls): billing's month of hourly data needs its copy ------

async def _ami_demo(settings: Settings, today: date) -> None:
    """Billing's AMI demo data is for meters of the demo district, which billing knows only
    from accounts' events: deliver them now (what the relay and billing's inbox would do moments
    after `make run` starts, and then find done), then load the month of hourly use, so the
    first screen already shows the leak alert and the courtesy call worklist."""
    import asyncpg

    from kernel.inbox import InboxProcessor, declare_types
    from relay.core import Relay
    from services.billing.app import handlers
    from services.billing.demo import load_ami_demo

    db = _db(settings, "billing")
    pool = await asyncpg.create_pool(settings.role_dsn(service_role("relay")), min_size=1,
                                     max_size=2)
    try:
        await declare_types(db, handlers())
        relay = Relay(pool, batch=settings.relay_batch)
        await relay.ensure_cursors()
        while await relay.copy_once("accounts", "billing"):
            pass
        await InboxProcessor(db, handlers(), settings.inbox_max_attempts,
                             settings.inbox_batch).drain()
        async with db.session() as session:
            n = await load_ami_demo(session, today)
            await session.commit()
        log.info("AMI demo data loaded for %d meters", n)
    finally:
        await pool.close()
        await db.dispose()
