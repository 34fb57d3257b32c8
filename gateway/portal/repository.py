"""All SQL of portal identity: logins, mailed links, rate-limited attempts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as

_LOGIN = ("user_id, email, email_verified_at, totp_secret, totp_pending, totp_enabled_at, "
          "totp_last_step, created_at")


@dataclass(frozen=True)
class PortalLogin:
    user_id: uuid.UUID
    email: str
    email_verified_at: datetime | None
    totp_secret: str | None
    totp_pending: str | None
    totp_enabled_at: datetime | None
    totp_last_step: int | None
    created_at: datetime


@dataclass(frozen=True)
class Link:
    id: uuid.UUID
    user_id: uuid.UUID
    purpose: str
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class StaffView:
    """A portal login with its user's state, for staff."""

    user_id: uuid.UUID
    email: str
    email_verified_at: datetime | None
    totp_enabled_at: datetime | None
    username: str
    active: bool
    accounts: list[str]
    created_at: datetime


async def insert_login(session: AsyncSession, user_id: uuid.UUID, email: str) -> None:
    await session.execute(
        text("INSERT INTO portal_logins (user_id, email) VALUES (:u, :e)"),
        {"u": user_id, "e": email})


async def login_by_email(session: AsyncSession, email: str,
                         lock: bool = False) -> PortalLogin | None:
    suffix = " FOR UPDATE" if lock else ""
    return first_as(PortalLogin, await session.execute(
        text(f"SELECT {_LOGIN} FROM portal_logins WHERE lower(email) = lower(:e){suffix}"),
        {"e": email}))


async def login_by_user(session: AsyncSession, user_id: uuid.UUID,
                        lock: bool = False) -> PortalLogin | None:
    suffix = " FOR UPDATE" if lock else ""
    return first_as(PortalLogin, await session.execute(
        text(f"SELECT {_LOGIN} FROM portal_logins WHERE user_id = :u{suffix}"), {"u": user_id}))


async def update_login(session: AsyncSession, user_id: uuid.UUID, **values: object) -> None:
    sets = ", ".join(f"{k} = :{k}" for k in values)
    await session.execute(
        text(f"UPDATE portal_logins SET {sets}, updated_at = now() WHERE user_id = :user_id"),
        {**values, "user_id": user_id})


async def insert_link(session: AsyncSession, user_id: uuid.UUID, purpose: str, token_hash: str,
                      expires_at: datetime) -> None:
    """A new link; the login's earlier unused links for the same purpose stop working."""
    await session.execute(
        text("UPDATE portal_links SET used_at = now() WHERE user_id = :u AND purpose = :p "
             "AND used_at IS NULL"),
        {"u": user_id, "p": purpose})
    await session.execute(
        text("INSERT INTO portal_links (id, user_id, purpose, token_hash, expires_at) "
             "VALUES (:id, :u, :p, :h, :x)"),
        {"id": uuid.uuid4(), "u": user_id, "p": purpose, "h": token_hash, "x": expires_at})


async def link_by_hash(session: AsyncSession, token_hash: str) -> Link | None:
    return first_as(Link, await session.execute(
        text("SELECT id, user_id, purpose, expires_at, used_at FROM portal_links "
             "WHERE token_hash = :h FOR UPDATE"),
        {"h": token_hash}))


async def use_link(session: AsyncSession, link_id: uuid.UUID) -> None:
    await session.execute(text("UPDATE portal_links SET used_at = now() WHERE id = :id"),
                          {"id": link_id})


async def recent_attempts(session: AsyncSession, kind: str, key_hash: str, client_ip: str,
                          window_seconds: int) -> tuple[int, int]:
    """Failed attempts of a kind in the window: at this key, and from this address. Requests
    that only send mail (resend, forgot) count every attempt: each would send one."""
    row = (await session.execute(
        text(
            """
            SELECT
              (SELECT count(*) FROM portal_attempts WHERE kind = :k AND key_hash = :h
                 AND (NOT success OR :all) AND at > now() - make_interval(secs => :w)) AS by_key,
              (SELECT count(*) FROM portal_attempts WHERE kind = :k AND client_ip = :ip
                 AND (NOT success OR :all) AND at > now() - make_interval(secs => :w)) AS by_ip
            """
        ),
        {"k": kind, "h": key_hash, "ip": client_ip, "w": window_seconds,
         "all": kind in ("resend", "forgot")},
    )).one()
    return int(row.by_key), int(row.by_ip)


async def record_attempt(session: AsyncSession, kind: str, key_hash: str, client_ip: str,
                         success: bool) -> None:
    await session.execute(
        text("INSERT INTO portal_attempts (kind, key_hash, client_ip, success) "
             "VALUES (:k, :h, :ip, :s)"),
        {"k": kind, "h": key_hash, "ip": client_ip[:64], "s": success})


_STAFF = ("SELECT l.user_id, l.email, l.email_verified_at, l.totp_enabled_at, u.username, "
          "u.active, u.accounts, l.created_at "
          "FROM portal_logins l JOIN users u ON u.id = l.user_id")


async def logins_for_account(session: AsyncSession, account_id: str) -> list[StaffView]:
    return all_as(StaffView, await session.execute(
        text(f"{_STAFF} WHERE u.accounts @> ARRAY[CAST(:a AS text)] ORDER BY l.created_at"),
        {"a": account_id}))


async def staff_view(session: AsyncSession, user_id: uuid.UUID) -> StaffView | None:
    return first_as(StaffView, await session.execute(
        text(f"{_STAFF} WHERE l.user_id = :u"), {"u": user_id}))
