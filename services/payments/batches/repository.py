"""All SQL of mail check batches."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_COLUMNS = ("id, keyed_by, received_on, control_total, control_count, status, created_at, "
            "posted_at, posted_by")


@dataclass(frozen=True, slots=True)
class Batch:
    id: uuid.UUID
    keyed_by: str
    received_on: date
    control_total: Decimal
    control_count: int
    status: str
    created_at: datetime
    posted_at: datetime | None
    posted_by: str | None


async def insert(s: AsyncSession, who: str, received_on: date, control_total: Decimal,
                 control_count: int) -> Batch:
    r = (await s.execute(text(
        f"INSERT INTO batches (id, keyed_by, received_on, control_total, control_count, status) "
        f"VALUES (gen_random_uuid(), :w, :d, :t, :n, 'open') RETURNING {_COLUMNS}"),
        {"w": who, "d": received_on, "t": control_total, "n": control_count})).one()
    return Batch(*r)


async def get(s: AsyncSession, batch_id: uuid.UUID, lock: bool = False) -> Batch | None:
    r = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM batches WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": batch_id})).first()
    return None if r is None else Batch(*r)


async def mark_posted(s: AsyncSession, batch_id: uuid.UUID, who: str) -> Batch:
    r = (await s.execute(text(
        f"UPDATE batches SET status = 'posted', posted_at = now(), posted_by = :w "
        f"WHERE id = :id AND status = 'open' RETURNING {_COLUMNS}"),
        {"id": batch_id, "w": who})).one()
    return Batch(*r)


async def listing(s: AsyncSession, status: str | None, limit: int) -> list[Batch]:
    """Batches by status, oldest received first (the keying worklist is `open`)."""
    rows = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM batches WHERE (CAST(:st AS text) IS NULL OR status = :st) "
        f"ORDER BY received_on, created_at LIMIT :n"), {"st": status, "n": limit})).all()
    return [Batch(*r) for r in rows]
