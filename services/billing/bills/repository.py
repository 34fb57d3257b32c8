"""All SQL of bills, their lines and the per-run reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from kernel.rows import all_as, first_as
from services.billing.bills.schemas import ConsumptionRow, RegisterRow

#: A mailing address as accounts publishes it (line1, line2, city, state, postal_code).
Address = dict[str, str | None]


@dataclass(frozen=True)
class Bill:
    """A bill with its account's number, name, mailing address and language."""

    id: uuid.UUID
    run_id: uuid.UUID
    account_id: uuid.UUID
    period_start: date
    period_end: date
    bill_date: date | None
    due_date: date | None
    status: str
    total: Decimal
    flags: list[str]
    replaces: uuid.UUID | None
    replaced_by: uuid.UUID | None
    cancel_reason: str | None
    messages: list[str]
    account_number: str | None
    name: str | None
    mailing: Address | None
    language: str | None


@dataclass(frozen=True)
class Line:
    sa_id: uuid.UUID
    service: str
    rate_class: str
    kind: str
    description: str
    seg_start: date
    seg_end: date
    quantity: Decimal
    unit_price: Decimal
    tier: int | None
    rate_version_id: uuid.UUID | None
    amount: Decimal
    version_name: str


@dataclass(frozen=True)
class Usage:
    period_end: date
    qty: Decimal


@dataclass(frozen=True)
class HistoryRow:
    """A bill in an account's history, with its metered water use."""

    id: uuid.UUID
    period_start: date
    period_end: date
    bill_date: date | None
    due_date: date | None
    status: str
    total: Decimal
    replaces: uuid.UUID | None
    replaced_by: uuid.UUID | None
    water_use: Decimal


@dataclass(frozen=True)
class PrintRow:
    id: uuid.UUID
    number: str
    name: str
    mailing: Address | None
    paperless: bool
    bill_date: date | None
    due_date: date | None
    period_start: date
    period_end: date
    total: Decimal


async def bill(s: AsyncSession, bill_id: uuid.UUID) -> Bill | None:
    return first_as(Bill, await s.execute(text(
        "SELECT b.*, a.number AS account_number, a.name, a.mailing, a.language "
        "FROM bills b LEFT JOIN accounts a ON a.id = b.account_id WHERE b.id = :b"),
        {"b": bill_id}))


async def lines(s: AsyncSession, bill_id: uuid.UUID) -> list[Line]:
    return all_as(Line, await s.execute(text(
        "SELECT l.*, coalesce(v.name, '') AS version_name FROM bill_lines l "
        "LEFT JOIN rate_versions v ON v.id = l.rate_version_id WHERE l.bill_id = :b "
        "ORDER BY l.service DESC, l.sa_id, l.seg_start, l.kind, l.tier NULLS FIRST"),
        {"b": bill_id}))


async def usage_history(s: AsyncSession, account_id: uuid.UUID, upto: date) -> list[Usage]:
    """Metered water use of the account's last 13 final bills up to `upto`."""
    return all_as(Usage, await s.execute(text(
        "SELECT b.period_end, coalesce(sum(l.quantity) FILTER (WHERE l.kind = 'volume' "
        "AND l.service = 'water'), 0) AS qty FROM bills b LEFT JOIN bill_lines l "
        "ON l.bill_id = b.id WHERE b.account_id = :a AND b.status = 'final' "
        "AND b.period_end <= :u GROUP BY b.id, b.period_end ORDER BY b.period_end DESC "
        "LIMIT 13"), {"a": account_id, "u": upto}))


REGISTER = text(
    "SELECT b.id AS bill_id, a.number AS account_number, a.name, b.status, "
    "coalesce(sum(l.amount) FILTER (WHERE l.service = 'water'), 0) AS water, "
    "coalesce(sum(l.amount) FILTER (WHERE l.service = 'wastewater'), 0) AS wastewater, "
    "coalesce(sum(l.amount) FILTER (WHERE l.service NOT IN ('water', 'wastewater')), 0) "
    "AS other, b.total FROM bills b LEFT JOIN accounts a ON a.id = b.account_id "
    "LEFT JOIN bill_lines l ON l.bill_id = b.id WHERE b.run_id = :r "
    "AND b.status <> 'discarded' GROUP BY b.id, a.number, a.name ORDER BY a.number, b.id")


async def register(s: AsyncSession, run_id: uuid.UUID) -> list[RegisterRow]:
    return [RegisterRow.model_validate(r._asdict())
            for r in (await s.execute(REGISTER, {"r": run_id})).all()]


def register_export(run_id: uuid.UUID) -> Export:
    return Export(REGISTER, {"r": run_id}, f"register-{run_id}.csv")


async def consumption(s: AsyncSession, run_id: uuid.UUID) -> list[ConsumptionRow]:
    return [ConsumptionRow.model_validate(r._asdict()) for r in (await s.execute(text(
        "SELECT l.service, l.rate_class, count(DISTINCT b.account_id) AS accounts, "
        "coalesce(sum(l.quantity) FILTER (WHERE l.kind = 'volume'), 0) AS quantity, "
        "sum(l.amount) AS amount FROM bills b JOIN bill_lines l ON l.bill_id = b.id "
        "WHERE b.run_id = :r AND b.status <> 'discarded' GROUP BY l.service, l.rate_class "
        "ORDER BY l.service, l.rate_class"), {"r": run_id})).all()]


async def print_rows(s: AsyncSession, run_id: uuid.UUID) -> list[PrintRow]:
    return all_as(PrintRow, await s.execute(text(
        "SELECT b.id, a.number, a.name, a.mailing, a.paperless, b.bill_date, b.due_date, "
        "b.period_start, b.period_end, b.total FROM bills b JOIN accounts a "
        "ON a.id = b.account_id WHERE b.run_id = :r AND b.status = 'final' "
        "ORDER BY a.mailing->>'postal_code', a.number"), {"r": run_id}))


async def of_account(s: AsyncSession, account_id: uuid.UUID, since: date) -> list[HistoryRow]:
    """Issued bills (final or cancelled, never drafts) whose period ended on or after `since`,
    newest first, each with its metered water use."""
    return all_as(HistoryRow, await s.execute(text(
        "SELECT b.id, b.period_start, b.period_end, b.bill_date, b.due_date, b.status, "
        "b.total, b.replaces, b.replaced_by, coalesce(sum(l.quantity) FILTER "
        "(WHERE l.kind = 'volume' AND l.service = 'water'), 0) AS water_use "
        "FROM bills b LEFT JOIN bill_lines l ON l.bill_id = b.id "
        "WHERE b.account_id = :a AND b.status IN ('final', 'cancelled') "
        "AND b.period_end >= :since GROUP BY b.id "
        "ORDER BY b.period_end DESC, b.bill_date DESC NULLS LAST"),
        {"a": account_id, "since": since}))
