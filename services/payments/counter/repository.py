"""All SQL of cash drawers."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_COLUMNS = ("id, cashier, status, opened_at, opened_on, float_amount, closed_at, closed_by, "
            "counted, counted_cash, expected_cash, over_short, signed_off_by, signed_off_at, "
            "sign_off_note")


@dataclass(frozen=True, slots=True)
class Drawer:
    id: uuid.UUID
    cashier: str
    status: str
    opened_at: datetime
    opened_on: date
    float_amount: Decimal
    closed_at: datetime | None
    closed_by: str | None
    counted: dict[str, int] | None
    counted_cash: Decimal | None
    expected_cash: Decimal | None
    over_short: Decimal | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    sign_off_note: str | None


async def open_of(s: AsyncSession, cashier: str) -> Drawer | None:
    r = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM drawers WHERE cashier = :c AND status = 'open'"),
        {"c": cashier})).first()
    return None if r is None else Drawer(*r)


async def listed(s: AsyncSession, status: str | None, limit: int) -> list[Drawer]:
    return [Drawer(*r) for r in (await s.execute(text(
        f"SELECT {_COLUMNS} FROM drawers WHERE (CAST(:st AS text) IS NULL OR status = :st) "
        f"ORDER BY opened_at, id LIMIT :n"), {"st": status, "n": limit})).all()]


async def insert(s: AsyncSession, cashier: str, float_amount: Decimal, on: date) -> Drawer:
    r = (await s.execute(text(
        f"INSERT INTO drawers (id, cashier, status, opened_on, float_amount) VALUES "
        f"(gen_random_uuid(), :c, 'open', :d, :f) RETURNING {_COLUMNS}"),
        {"c": cashier, "d": on, "f": float_amount})).one()
    return Drawer(*r)


async def get(s: AsyncSession, drawer_id: uuid.UUID, lock: bool = False) -> Drawer | None:
    """`lock`: a payment taken and the drawer's closing never pass each other."""
    r = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM drawers WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": drawer_id})).first()
    return None if r is None else Drawer(*r)


async def close(s: AsyncSession, drawer_id: uuid.UUID, who: str, counts: dict[str, int],
                counted: Decimal, expected: Decimal, over_short: Decimal) -> Drawer:
    r = (await s.execute(text(
        f"UPDATE drawers SET status = 'closed', closed_at = now(), closed_by = :w, "
        f"counted = CAST(:counts AS jsonb), counted_cash = :counted, expected_cash = :exp, "
        f"over_short = :os WHERE id = :id AND status = 'open' RETURNING {_COLUMNS}"),
        {"id": drawer_id, "w": who, "counts": json.dumps(counts), "counted": counted,
         "exp": expected, "os": over_short})).one()
    return Drawer(*r)


async def sign_off(s: AsyncSession, drawer_id: uuid.UUID, who: str, note: str | None) -> Drawer:
    r = (await s.execute(text(
        f"UPDATE drawers SET status = 'signed_off', signed_off_by = :w, signed_off_at = now(), "
        f"sign_off_note = :n WHERE id = :id AND status = 'closed' RETURNING {_COLUMNS}"),
        {"id": drawer_id, "w": who, "n": note})).one()
    return Drawer(*r)


def as_dict(d: Drawer) -> dict[str, Any]:
    return {f: getattr(d, f) for f in Drawer.__dataclass_fields__}
