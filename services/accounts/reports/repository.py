"""Accounts' reports: deposits required, waived, refunded and credited in a year, by month, and
what is held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, value_as


@dataclass(frozen=True)
class DepositMonth:
    month: int
    required: int
    required_amount: Decimal
    waived: int
    waived_amount: Decimal
    refunded: int
    refunded_amount: Decimal
    credited: int
    credited_amount: Decimal


DEPOSIT_MONTHS = text("""
    SELECT m AS month,
           count(t.id) FILTER (WHERE t.kind = 'required') AS required,
           coalesce(sum(t.amount) FILTER (WHERE t.kind = 'required'), 0.00) AS required_amount,
           count(t.id) FILTER (WHERE t.kind = 'waived') AS waived,
           coalesce(sum(t.amount) FILTER (WHERE t.kind = 'waived'), 0.00) AS waived_amount,
           count(t.id) FILTER (WHERE t.kind = 'refunded') AS refunded,
           coalesce(sum(t.amount) FILTER (WHERE t.kind = 'refunded'), 0.00) AS refunded_amount,
           count(t.id) FILTER (WHERE t.kind = 'credited') AS credited,
           coalesce(sum(t.amount) FILTER (WHERE t.kind = 'credited'), 0.00) AS credited_amount
    FROM generate_series(1, 12) m
    LEFT JOIN deposit_transactions t
      ON t.on_date BETWEEN :s AND :e AND extract(month FROM t.on_date) = m
    GROUP BY m ORDER BY m
""")


async def deposit_months(s: AsyncSession, start: date, end: date) -> list[DepositMonth]:
    return all_as(DepositMonth, await s.execute(DEPOSIT_MONTHS, {"s": start, "e": end}))


async def held_as_of(s: AsyncSession, day: date) -> Decimal:
    """Deposits held at the end of `day`, from the transactions: required less released."""
    return value_as(Decimal, (await s.execute(text(
        "SELECT coalesce(sum(CASE kind WHEN 'required' THEN amount "
        "WHEN 'refunded' THEN -amount WHEN 'credited' THEN -amount ELSE 0 END), 0.00) "
        "FROM deposit_transactions WHERE on_date <= :d"), {"d": day})).scalar_one()) \
        or Decimal("0.00")


async def held_on_accounts(s: AsyncSession) -> tuple[int, Decimal]:
    """What the accounts hold now (`accounts.deposit_held`), and on how many."""
    row = (await s.execute(text(
        "SELECT count(*) FILTER (WHERE deposit_held > 0) AS n, "
        "coalesce(sum(deposit_held), 0.00) AS held FROM accounts"))).one()
    return int(row.n), Decimal(row.held)
