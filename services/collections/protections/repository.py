"""All SQL of protections: one row per account in `protections`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as


@dataclass(frozen=True, slots=True)
class ProtectionRow:
    account_id: uuid.UUID
    medical_certified_on: date | None
    medical_expires_on: date | None
    medical_certifier: str | None
    medical_recorded_by: str | None
    financial_basis: str | None
    financial_on: date | None
    financial_recorded_by: str | None
    willing_on: date | None
    willing_recorded_by: str | None
    low_income_basis: str | None
    low_income_on: date | None
    low_income_until: date | None
    low_income_recorded_by: str | None
    interest_waived_on: date | None
    reached_on: date | None
    reached_how: str | None
    reached_recorded_by: str | None


#: The columns of each section, set together (a section withdrawn sets them to null).
COLUMNS: dict[str, tuple[str, ...]] = {
    "medical": ("medical_certified_on", "medical_expires_on", "medical_certifier",
                "medical_recorded_by"),
    "financial": ("financial_basis", "financial_on", "financial_recorded_by"),
    "willing": ("willing_on", "willing_recorded_by"),
    "low_income": ("low_income_basis", "low_income_on", "low_income_until",
                   "low_income_recorded_by"),
    "reached": ("reached_on", "reached_how", "reached_recorded_by"),
}


async def get(s: AsyncSession, account_id: uuid.UUID, lock: bool = False) -> ProtectionRow | None:
    return first_as(ProtectionRow, await s.execute(text(
        "SELECT * FROM protections WHERE account_id = :a" + (" FOR UPDATE" if lock else "")),
        {"a": account_id}))


async def many(s: AsyncSession, account_ids: Sequence[uuid.UUID]) -> list[ProtectionRow]:
    return all_as(ProtectionRow, await s.execute(text(
        "SELECT * FROM protections WHERE account_id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": [str(i) for i in account_ids]}))


async def set_sections(s: AsyncSession, account_id: uuid.UUID,
                       values: dict[str, object]) -> None:
    """Upsert the given columns (a section's columns all together)."""
    cols = sorted(values)
    await s.execute(text(
        f"INSERT INTO protections (account_id, {', '.join(cols)}) VALUES (:account_id, "
        f"{', '.join(':' + c for c in cols)}) ON CONFLICT (account_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in cols) + ", updated_at = now()"),
        {"account_id": account_id, **values})


async def interest_waivable(s: AsyncSession, account_ids: Sequence[uuid.UUID], today: date,
                            months: int) -> list[uuid.UUID]:
    """Of these accounts, the low-income households today whose interest was not waived in the
    last `months` months."""
    if not account_ids:
        return []
    rows = await s.execute(text(
        "SELECT account_id FROM protections WHERE account_id = ANY(CAST(:ids AS uuid[])) "
        "AND low_income_on <= :t AND (low_income_until IS NULL OR :t <= low_income_until) "
        "AND (interest_waived_on IS NULL "
        "     OR interest_waived_on <= CAST(:t AS date) - make_interval(months => :m))"),
        {"ids": [str(i) for i in account_ids], "t": today, "m": months})
    return [r[0] for r in rows]


async def record_interest_waivers(s: AsyncSession, account_ids: Sequence[uuid.UUID],
                                  on: date) -> None:
    if account_ids:
        await s.execute(text(
            "UPDATE protections SET interest_waived_on = :d, updated_at = now() "
            "WHERE account_id = ANY(CAST(:ids AS uuid[]))"),
            {"ids": [str(i) for i in account_ids], "d": on})
