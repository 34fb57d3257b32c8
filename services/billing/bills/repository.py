"""All SQL of bills, their lines and the per-run reports."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


async def bill(s: AsyncSession, bill_id: uuid.UUID) -> Any:
    return (await s.execute(text(
        "SELECT b.*, a.number AS account_number, a.name, a.mailing, a.language "
        "FROM bills b LEFT JOIN accounts a ON a.id = b.account_id WHERE b.id = :b"),
        {"b": bill_id})).first()


async def lines(s: AsyncSession, bill_id: uuid.UUID) -> list[Any]:
    return list((await s.execute(text(
        "SELECT l.*, coalesce(v.name, '') AS version_name FROM bill_lines l "
        "LEFT JOIN rate_versions v ON v.id = l.rate_version_id WHERE l.bill_id = :b "
        "ORDER BY l.service DESC, l.sa_id, l.seg_start, l.kind, l.tier NULLS FIRST"),
        {"b": bill_id})).all())


async def account_bills(s: AsyncSession, account_id: uuid.UUID) -> list[Any]:
    return list((await s.execute(text(
        "SELECT id FROM bills WHERE account_id = :a AND status IN ('final', 'cancelled') "
        "ORDER BY period_end DESC, id"), {"a": account_id})).all())


async def usage_history(s: AsyncSession, account_id: uuid.UUID, upto: Any) -> list[Any]:
    """Metered water use of the account's last 13 final bills up to `upto`."""
    return list((await s.execute(text(
        "SELECT b.period_end, coalesce(sum(l.quantity) FILTER (WHERE l.kind = 'volume' "
        "AND l.service = 'water'), 0) AS qty FROM bills b LEFT JOIN bill_lines l "
        "ON l.bill_id = b.id WHERE b.account_id = :a AND b.status = 'final' "
        "AND b.period_end <= :u GROUP BY b.id, b.period_end ORDER BY b.period_end DESC "
        "LIMIT 13"), {"a": account_id, "u": upto})).all())


async def register(s: AsyncSession, run_id: uuid.UUID) -> list[Any]:
    return list((await s.execute(text(
        "SELECT b.id AS bill_id, a.number AS account_number, a.name, b.status, "
        "coalesce(sum(l.amount) FILTER (WHERE l.service = 'water'), 0) AS water, "
        "coalesce(sum(l.amount) FILTER (WHERE l.service = 'wastewater'), 0) AS wastewater, "
        "coalesce(sum(l.amount) FILTER (WHERE l.service NOT IN ('water', 'wastewater')), 0) "
        "AS other, b.total FROM bills b LEFT JOIN accounts a ON a.id = b.account_id "
        "LEFT JOIN bill_lines l ON l.bill_id = b.id WHERE b.run_id = :r "
        "AND b.status <> 'discarded' GROUP BY b.id, a.number, a.name ORDER BY a.number, b.id"),
        {"r": run_id})).all())


async def consumption(s: AsyncSession, run_id: uuid.UUID) -> list[Any]:
    return list((await s.execute(text(
        "SELECT l.service, l.rate_class, count(DISTINCT b.account_id) AS accounts, "
        "coalesce(sum(l.quantity) FILTER (WHERE l.kind = 'volume'), 0) AS quantity, "
        "sum(l.amount) AS amount FROM bills b JOIN bill_lines l ON l.bill_id = b.id "
        "WHERE b.run_id = :r AND b.status <> 'discarded' GROUP BY l.service, l.rate_class "
        "ORDER BY l.service, l.rate_class"), {"r": run_id})).all())


async def print_rows(s: AsyncSession, run_id: uuid.UUID) -> list[Any]:
    return list((await s.execute(text(
        "SELECT b.id, a.number, a.name, a.mailing, a.paperless, b.bill_date, b.due_date, "
        "b.period_start, b.period_end, b.total FROM bills b JOIN accounts a "
        "ON a.id = b.account_id WHERE b.run_id = :r AND b.status = 'final' "
        "ORDER BY a.mailing->>'postal_code', a.number"), {"r": run_id})).all())


async def balance(s: AsyncSession, account_id: uuid.UUID) -> Any:
    return (await s.execute(text(
        "SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = :a"),
        {"a": account_id})).scalar_one()
