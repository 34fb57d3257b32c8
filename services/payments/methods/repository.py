"""All SQL of saved payment methods."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


@dataclass(frozen=True, slots=True)
class SavedMethod:
    id: uuid.UUID
    account_id: uuid.UUID
    processor: str
    token: str
    kind: str
    display: str
    processor_customer: str | None
    is_default: bool
    status: str
    saved_by: str
    created_at: datetime
    removed_at: datetime | None


_COLS = ("id, account_id, processor, token, kind, display, processor_customer, is_default, "
         "status, saved_by, created_at, removed_at")


async def lock_account(s: AsyncSession, account_id: uuid.UUID) -> None:
    """Serialise changes to one account's methods (the default flag, the count)."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 7))"),
                    {"k": f"saved-methods:{account_id}"})


async def by_key(s: AsyncSession, saved_by: str, key: str) -> SavedMethod | None:
    r = (await s.execute(text(
        f"SELECT {_COLS} FROM saved_methods WHERE saved_by = :w AND idempotency_key = :k"),
        {"w": saved_by, "k": key})).first()
    return None if r is None else SavedMethod(*r)


async def get(s: AsyncSession, account_id: uuid.UUID, method_id: uuid.UUID) -> SavedMethod | None:
    r = (await s.execute(text(
        f"SELECT {_COLS} FROM saved_methods WHERE id = :i AND account_id = :a"),
        {"i": method_id, "a": account_id})).first()
    return None if r is None else SavedMethod(*r)


async def active(s: AsyncSession, account_id: uuid.UUID) -> list[SavedMethod]:
    return [SavedMethod(*r) for r in (await s.execute(text(
        f"SELECT {_COLS} FROM saved_methods WHERE account_id = :a AND status = 'active' "
        f"ORDER BY is_default DESC, created_at, id"), {"a": account_id})).all()]


async def active_by_token(s: AsyncSession, account_id: uuid.UUID, processor: str,
                          token: str) -> SavedMethod | None:
    r = (await s.execute(text(
        f"SELECT {_COLS} FROM saved_methods WHERE account_id = :a AND processor = :p "
        f"AND token = :t AND status = 'active'"),
        {"a": account_id, "p": processor, "t": token})).first()
    return None if r is None else SavedMethod(*r)


async def clear_default(s: AsyncSession, account_id: uuid.UUID) -> None:
    await s.execute(text(
        "UPDATE saved_methods SET is_default = false WHERE account_id = :a AND is_default"),
        {"a": account_id})


async def set_default(s: AsyncSession, method_id: uuid.UUID) -> None:
    await s.execute(text("UPDATE saved_methods SET is_default = true WHERE id = :i"),
                    {"i": method_id})


@dataclass(frozen=True, slots=True)
class NewMethod:
    id: uuid.UUID
    account_id: uuid.UUID
    processor: str
    token: str
    kind: str
    display: str
    processor_customer: str | None
    is_default: bool
    saved_by: str
    idempotency_key: str


async def insert(s: AsyncSession, m: NewMethod) -> SavedMethod:
    r = (await s.execute(text(
        f"INSERT INTO saved_methods (id, account_id, processor, token, kind, display, "
        f"processor_customer, is_default, status, saved_by, idempotency_key) VALUES (:id, "
        f":account_id, :processor, :token, :kind, :display, :processor_customer, :is_default, "
        f"'active', :saved_by, :idempotency_key) "
        f"RETURNING {_COLS}"), {f: getattr(m, f) for f in NewMethod.__dataclass_fields__})).one()
    return SavedMethod(*r)


async def remove(s: AsyncSession, method_id: uuid.UUID, who: str) -> SavedMethod | None:
    r = (await s.execute(text(
        f"UPDATE saved_methods SET status = 'removed', is_default = false, removed_at = now(), "
        f"removed_by = :w WHERE id = :i AND status = 'active' RETURNING {_COLS}"),
        {"i": method_id, "w": who})).first()
    return None if r is None else SavedMethod(*r)
