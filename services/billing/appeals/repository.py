"""All SQL of high-bill appeals."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as, value_as
from services.billing.appeals.domain import VolumeLine


@dataclass(frozen=True)
class Appeal:
    id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    status: str
    complaint: str
    opened_by: str
    opened_on: date
    decision: str | None
    credit: Decimal | None
    adjustment_id: uuid.UUID | None
    letter: str | None
    decided_by: str | None
    decided_on: date | None


@dataclass(frozen=True)
class AppealedBill:
    """A bill with what an appeal needs: the holder's name, the water meter and premise."""

    id: uuid.UUID
    account_id: uuid.UUID
    status: str
    period_start: date
    name: str | None
    premise_id: uuid.UUID | None
    meter_id: uuid.UUID | None


async def bill(s: AsyncSession, bill_id: uuid.UUID) -> AppealedBill | None:
    return first_as(AppealedBill, await s.execute(text(
        "SELECT b.id, b.account_id, b.status, b.period_start, a.name, m.premise_id, "
        "m.meter_id FROM bills b "
        "LEFT JOIN accounts a ON a.id = b.account_id "
        "LEFT JOIN LATERAL (SELECT sa.premise_id, sa.meter_id FROM service_agreements sa "
        "  WHERE sa.account_id = b.account_id AND sa.service = 'water' "
        "  ORDER BY sa.start_date DESC LIMIT 1) m ON true WHERE b.id = :b"),
        {"b": bill_id}))


async def open_for_bill(s: AsyncSession, bill_id: uuid.UUID) -> uuid.UUID | None:
    return value_as(uuid.UUID, (await s.execute(text(
        "SELECT id FROM appeals WHERE bill_id = :b AND status <> 'decided' LIMIT 1"),
        {"b": bill_id})).scalar_one_or_none())


async def insert(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO appeals (id, account_id, bill_id, status, complaint, opened_by, opened_on)"
        " VALUES (:id, :account_id, :bill_id, 'open', :complaint, :opened_by, :opened_on)"), r)


async def get(s: AsyncSession, appeal_id: uuid.UUID, lock: bool = False) -> Appeal | None:
    return first_as(Appeal, await s.execute(text(
        "SELECT * FROM appeals WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": appeal_id}))


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[Appeal]:
    return all_as(Appeal, await s.execute(text(
        "SELECT * FROM appeals WHERE account_id = :a ORDER BY opened_on DESC, id"),
        {"a": account_id}))


async def set_status(s: AsyncSession, appeal_id: uuid.UUID, status: str) -> None:
    await s.execute(text("UPDATE appeals SET status = :st WHERE id = :id"),
                    {"st": status, "id": appeal_id})


async def decide(s: AsyncSession, appeal_id: uuid.UUID, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "UPDATE appeals SET status = 'decided', decision = :decision, credit = :credit, "
        "adjustment_id = :adjustment_id, letter = :letter, decided_by = :decided_by, "
        "decided_on = :decided_on WHERE id = :id"), {**r, "id": appeal_id})


async def volume_lines(s: AsyncSession, bill_id: uuid.UUID) -> list[VolumeLine]:
    return [VolumeLine(*r) for r in (await s.execute(text(
        "SELECT coalesce(tier, 1) AS tier, quantity, unit_price FROM bill_lines "
        "WHERE bill_id = :b AND kind = 'volume' AND service = 'water'"), {"b": bill_id})).all()]


async def normal_use(s: AsyncSession, account_id: uuid.UUID, before: date) -> Decimal | None:
    """Average water use of the account's final bills in the 12 months before `before`."""
    v = value_as(Decimal, (await s.execute(text(
        "SELECT avg(q) FROM (SELECT sum(l.quantity) AS q FROM bills b JOIN bill_lines l "
        "ON l.bill_id = b.id AND l.kind = 'volume' AND l.service = 'water' "
        "WHERE b.account_id = :a AND b.status = 'final' AND b.period_end < :d "
        "AND b.period_end >= :since GROUP BY b.id) x"),
        {"a": account_id, "d": before, "since": before - timedelta(days=365)})).scalar_one())
    return v


async def last_credit_on(s: AsyncSession, account_id: uuid.UUID) -> date | None:
    return value_as(date, (await s.execute(text(
        "SELECT max(decided_on) FROM appeals WHERE account_id = :a AND credit > 0"),
        {"a": account_id})).scalar_one())
