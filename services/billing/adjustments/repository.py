"""All SQL of adjustments."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as


@dataclass(frozen=True)
class Adjustment:
    id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason_code: str
    reason: str
    status: str
    requested_by: str
    requested_role: str
    approved_by: str | None
    entry_id: uuid.UUID | None
    source: str
    created_at: datetime
    decided_at: datetime | None


async def insert(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO adjustments (id, account_id, amount, reason_code, reason, status, "
        "requested_by, requested_role, source) VALUES (:id, :account_id, :amount, "
        ":reason_code, :reason, 'pending', :requested_by, :requested_role, :source)"), r)


async def get(s: AsyncSession, adj_id: uuid.UUID, lock: bool = False) -> Adjustment | None:
    return first_as(Adjustment, await s.execute(text(
        "SELECT * FROM adjustments WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": adj_id}))


async def decide(s: AsyncSession, adj_id: uuid.UUID, status: str, approver: str | None,
                 entry_id: uuid.UUID | None) -> None:
    await s.execute(text(
        "UPDATE adjustments SET status = :st, approved_by = :ap, entry_id = :e, "
        "decided_at = now() WHERE id = :id"),
        {"st": status, "ap": approver, "e": entry_id, "id": adj_id})


async def listing(s: AsyncSession, status: str | None, account_id: uuid.UUID | None
                  ) -> list[Adjustment]:
    return all_as(Adjustment, await s.execute(text(
        "SELECT * FROM adjustments WHERE (CAST(:st AS text) IS NULL OR status = :st) "
        "AND (CAST(:a AS uuid) IS NULL OR account_id = :a) ORDER BY created_at, id"),
        {"st": status, "a": account_id}))


async def account_exists(s: AsyncSession, account_id: uuid.UUID) -> bool:
    return (await s.execute(text("SELECT 1 FROM accounts WHERE id = :a"),
                            {"a": account_id})).first() is not None
