"""A live stack with a staff login, for the staff app's browser tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest

from gateway.auth.schemas import UserCreate
from gateway.auth.service import create_user
from kernel.db import Database
from kernel.settings import Settings, get_settings, service_role
from tests.contract.conftest import running_stack

#: The browser logs in as this CSR I (a real login through the gateway, not a minted token).
CSR = "csr_browser"
PASSWORD = "browser-test-password"


async def _create_login(database_url: str) -> None:
    settings = Settings(database_url=database_url, data_dir=get_settings().data_dir)
    db = Database(settings.role_dsn(service_role("gateway")), "gateway", settings, "test-login")
    try:
        async with db.session() as s:
            await create_user(s, None, UserCreate(username=CSR, display_name="Casey Browser",
                                                  role="csr1", password=PASSWORD))
            await s.commit()
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def staff_stack() -> Iterator[str]:
    """Every process as `make run` starts them, on a database of its own, with one CSR login."""
    with running_stack(prepare=lambda url: asyncio.run(_create_login(url))) as base:
        yield base


# ---- billing screens (ui-billing): a technician and a supervisor log in -----------------------

#: The billing browser test's logins: a technician prepares a run, a supervisor approves it.
BILLING_TECH = "tech_browser"
SUPERVISOR = "super_browser"


async def _create_billing_logins(database_url: str) -> None:
    settings = Settings(database_url=database_url, data_dir=get_settings().data_dir)
    db = Database(settings.role_dsn(service_role("gateway")), "gateway", settings, "test-login")
    try:
        async with db.session() as s:
            for username, name, role in ((BILLING_TECH, "Tess Browser", "billing_tech"),
                                         (SUPERVISOR, "Sam Browser", "supervisor")):
                await create_user(s, None, UserCreate(username=username, display_name=name,
                                                      role=role, password=PASSWORD))
            await s.commit()
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def billing_stack() -> Iterator[str]:
    """Every process as `make run` starts them, with a billing technician's and a supervisor's
    logins (the password is `PASSWORD`)."""
    with running_stack(prepare=lambda url: asyncio.run(_create_billing_logins(url))) as base:
        yield base
# ui-collect: logins for other roles on the same live stack, made through the gateway's own user
# administration (an administrator's token), each with the browser password.
@pytest.fixture(scope="module")
def staff_login(staff_stack: str) -> Callable[[str], str]:
    """`staff_login("field_tech")` -> the username of a login with that role (made once)."""
    import httpx

    from tests.conftest import mint_token

    made: dict[str, str] = {}

    def login(role: str) -> str:
        if role not in made:
            username = f"{role}_browser"
            r = httpx.post(f"{staff_stack}/api/auth/users", timeout=30,
                           headers={"Authorization": f"Bearer {mint_token('admin')}"},
                           json={"username": username, "display_name": f"{role} (browser)",
                                 "role": role, "password": PASSWORD})
            assert r.status_code == 201, r.text
            made[role] = username
        return made[role]

    return login
