"""Collections' reports: the month's activity on the receivable, and the year's disconnections
for non-payment (SB 998)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, one_as


@dataclass(frozen=True)
class Activity:
    charges: Decimal
    credits: Decimal


async def activity(s: AsyncSession, start: date, end: date) -> Activity:
    """What the receivable (the copy of billing's ledger) took in the period: debits, and
    credits as a positive amount."""
    return one_as(Activity, await s.execute(text(
        "SELECT coalesce(sum(amount) FILTER (WHERE amount > 0), 0.00) AS charges, "
        "coalesce(-sum(amount) FILTER (WHERE amount < 0), 0.00) AS credits "
        "FROM receivable WHERE posted_on BETWEEN :s AND :e"), {"s": start, "e": end}))


@dataclass(frozen=True)
class DisconnectMonth:
    month: int
    disconnections: int
    low_income: int
    residential: int
    reconnected: int
    reconnected_within_1_day: int


DISCONNECTIONS = text("""
    WITH d AS (
        SELECT f.id, f.completed_on, coalesce(f.low_income, false) AS low_income,
               coalesce(p.kind IN ('single_family', 'multi_family'), true) AS residential,
               (SELECT min(r.completed_on) FROM field_orders r
                WHERE r.reconnects = f.id AND r.kind = 'reconnect' AND r.status = 'completed')
                   AS reconnected_on
        FROM field_orders f LEFT JOIN premises p ON p.id = f.premise_id
        WHERE f.kind = 'disconnect' AND f.status = 'completed'
          AND f.completed_on BETWEEN :s AND :e
    )
    SELECT m AS month,
           count(d.id) AS disconnections,
           count(d.id) FILTER (WHERE d.low_income) AS low_income,
           count(d.id) FILTER (WHERE d.residential) AS residential,
           count(d.id) FILTER (WHERE d.reconnected_on IS NOT NULL) AS reconnected,
           count(d.id) FILTER (WHERE d.reconnected_on <= d.completed_on + 1)
               AS reconnected_within_1_day
    FROM generate_series(1, 12) m
    LEFT JOIN d ON extract(month FROM d.completed_on) = m
    GROUP BY m ORDER BY m
""")


async def disconnections(s: AsyncSession, start: date, end: date) -> list[DisconnectMonth]:
    return all_as(DisconnectMonth, await s.execute(DISCONNECTIONS, {"s": start, "e": end}))
