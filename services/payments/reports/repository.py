"""Payments' reports: the month's receipts by tender, and the list of payments received."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from kernel.rows import all_as, one_as


@dataclass(frozen=True)
class TenderRow:
    tender: str
    receipts: int
    amount: Decimal
    returns: int
    returned: Decimal


@dataclass(frozen=True)
class LedgerTie:
    payments: Decimal
    reversals: Decimal


BY_TENDER = text("""
    WITH received AS (
        SELECT tender, count(*) AS receipts, sum(amount) AS amount FROM payments
        WHERE status = 'posted' AND received_on BETWEEN :s AND :e GROUP BY tender
    ), returned AS (
        SELECT p.tender, count(*) AS returns, sum(r.amount) AS returned
        FROM payment_returns r JOIN payments p ON p.id = r.payment_id
        WHERE r.returned_on BETWEEN :s AND :e GROUP BY p.tender
    )
    SELECT t.tender, coalesce(rc.receipts, 0) AS receipts, coalesce(rc.amount, 0.00) AS amount,
           coalesce(rt.returns, 0) AS returns, coalesce(rt.returned, 0.00) AS returned
    FROM unnest(CAST(:tenders AS text[])) WITH ORDINALITY AS t(tender, n)
    LEFT JOIN received rc USING (tender) LEFT JOIN returned rt USING (tender)
    ORDER BY t.n
""")


async def by_tender(s: AsyncSession, start: date, end: date,
                    tenders: tuple[str, ...]) -> list[TenderRow]:
    return all_as(TenderRow, await s.execute(
        BY_TENDER, {"s": start, "e": end, "tenders": list(tenders)}))


async def ledger_tie(s: AsyncSession, start: date, end: date) -> LedgerTie:
    """Payments' copy of billing's ledger: payment entries (credits, so negative) and their
    reversals posted in the period."""
    return one_as(LedgerTie, await s.execute(text(
        "SELECT coalesce(-sum(amount) FILTER (WHERE kind = 'payment'), 0.00) AS payments, "
        "coalesce(sum(amount) FILTER (WHERE kind = 'payment_reversal'), 0.00) AS reversals "
        "FROM ledger_payment_entries WHERE posted_on BETWEEN :s AND :e"),
        {"s": start, "e": end}))


@dataclass(frozen=True)
class Received:
    id: uuid.UUID
    receipt_number: int
    account_number: str
    amount: Decimal
    tender: str
    channel: str
    received_on: date
    taken_by: str


RECEIVED = text("""
    SELECT id, receipt_number, account_number, amount, tender, channel, received_on, taken_by
    FROM payments
    WHERE status = 'posted' AND received_on BETWEEN :s AND :e
      AND (CAST(:tender AS text) IS NULL OR tender = :tender)
    ORDER BY received_on, receipt_number
    LIMIT :l OFFSET :o
""")


async def received(s: AsyncSession, start: date, end: date, tender: str | None, limit: int,
                   offset: int) -> list[Received]:
    return all_as(Received, await s.execute(RECEIVED, {
        "s": start, "e": end, "tender": tender, "l": limit, "o": offset}))


def received_export(start: date, end: date, tender: str | None) -> Export:
    return Export(RECEIVED, {"s": start, "e": end, "tender": tender, "l": None, "o": 0},
                  f"payments-{start}-{end}.csv")
