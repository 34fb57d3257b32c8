from __future__ import annotations

from typing import Any

from gateway.auth.schemas import UserCreate
from gateway.auth.service import create_user

PASSWORD = "correct-horse-battery"


async def staff_user(gateway_app: Any, username: str, role: str, password: str = PASSWORD) -> str:
    """A user committed inside the test's transaction (rolled back with it)."""
    async with gateway_app.state.db.session() as s:
        await create_user(s, None, UserCreate(username=username, display_name=username.title(),
                                              role=role, password=password))
        await s.commit()
    return username
