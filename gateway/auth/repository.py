"""All SQL for users, refresh tokens and login attempts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.auth.schemas import Role
from kernel.rows import all_as, first_as, row_as

_USER_COLS = "id, username, display_name, role, password_hash, active, accounts, created_at"


@dataclass(frozen=True)
class User:
    """A user as stored: the password hash never leaves the gateway's service."""

    id: uuid.UUID
    username: str
    display_name: str
    role: Role  # the table's check constraint holds it to the roles
    password_hash: str
    active: bool
    accounts: list[str] | None
    created_at: datetime


@dataclass(frozen=True)
class RefreshToken:
    id: uuid.UUID
    user_id: uuid.UUID
    family: uuid.UUID
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return first_as(User, await session.execute(
        text(f"SELECT {_USER_COLS} FROM users WHERE lower(username) = lower(:u)"),
        {"u": username},
    ))


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return first_as(User, await session.execute(
        text(f"SELECT {_USER_COLS} FROM users WHERE id = :id"), {"id": user_id}))


async def list_users(session: AsyncSession) -> list[User]:
    return all_as(User, await session.execute(
        text(f"SELECT {_USER_COLS} FROM users ORDER BY username")))


async def insert_user(session: AsyncSession, **values: Any) -> User | None:
    """The new user, or None when the username is taken."""
    return first_as(User, await session.execute(
        text(
            "INSERT INTO users (id, username, display_name, role, password_hash, accounts) "
            "VALUES (:id, :username, :display_name, :role, :password_hash, :accounts) "
            "ON CONFLICT DO NOTHING RETURNING " + _USER_COLS
        ),
        values,
    ))


async def update_user(session: AsyncSession, user_id: uuid.UUID,
                      values: dict[str, Any]) -> User:
    sets = ", ".join(f"{k} = :{k}" for k in values)
    return row_as(User, (await session.execute(
        text(f"UPDATE users SET {sets}, updated_at = now() WHERE id = :id "
             f"RETURNING {_USER_COLS}"),
        {**values, "id": user_id},
    )).one())


async def recent_failures(
    session: AsyncSession, username: str, client_ip: str, window_seconds: int
) -> tuple[int, int]:
    """Failures since the last success, within the window, per username and per address."""
    row = (
        await session.execute(
            text(
                """
                SELECT
                  (SELECT count(*) FROM login_attempts a
                    WHERE lower(a.username) = lower(:u) AND NOT a.success
                      AND a.at > now() - make_interval(secs => :w)
                      AND a.at > coalesce((SELECT max(at) FROM login_attempts s
                                           WHERE lower(s.username) = lower(:u) AND s.success),
                                          '-infinity')) AS by_user,
                  (SELECT count(*) FROM login_attempts
                    WHERE client_ip = :ip AND NOT success
                      AND at > now() - make_interval(secs => :w)) AS by_ip
                """
            ),
            {"u": username, "ip": client_ip, "w": window_seconds},
        )
    ).one()
    return int(row.by_user), int(row.by_ip)


async def record_attempt(session: AsyncSession, username: str, ip: str, success: bool) -> None:
    await session.execute(
        text("INSERT INTO login_attempts (username, client_ip, success) VALUES (:u, :ip, :s)"),
        {"u": username[:200], "ip": ip, "s": success},
    )


async def insert_refresh(
    session: AsyncSession, user_id: uuid.UUID, token_hash: str, family: uuid.UUID,
    expires_at: datetime,
) -> None:
    await session.execute(
        text(
            "INSERT INTO refresh_tokens (id, user_id, token_hash, family, expires_at) "
            "VALUES (:id, :uid, :h, :f, :e)"
        ),
        {"id": uuid.uuid4(), "uid": user_id, "h": token_hash, "f": family, "e": expires_at},
    )


async def refresh_by_hash(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    return first_as(RefreshToken, await session.execute(
        text(
            "SELECT id, user_id, family, expires_at, used_at, revoked_at FROM refresh_tokens "
            "WHERE token_hash = :h FOR UPDATE"
        ),
        {"h": token_hash},
    ))


async def mark_refresh_used(session: AsyncSession, token_id: uuid.UUID) -> None:
    await session.execute(text("UPDATE refresh_tokens SET used_at = now() WHERE id = :id"),
                          {"id": token_id})


async def revoke_family(session: AsyncSession, family: uuid.UUID) -> None:
    await session.execute(
        text("UPDATE refresh_tokens SET revoked_at = now() WHERE family = :f "
             "AND revoked_at IS NULL"),
        {"f": family},
    )


async def revoke_user_tokens(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        text("UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = :u "
             "AND revoked_at IS NULL"),
        {"u": user_id},
    )
