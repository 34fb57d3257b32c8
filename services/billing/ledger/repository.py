"""All SQL of the ledger (append-only entries; corrections are new entries)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


async def post(s: AsyncSession, account_id: uuid.UUID, kind: str, amount: Decimal,
               posted_on: date, reference: str | None, who: str,
               corrects: uuid.UUID | None = None, due_date: date | None = None) -> Any:
    """Insert an entry; None when an entry of this kind and reference exists (replays)."""
    return (await s.execute(text(
        "INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, due_date, "
        "reference, corrects, created_by) VALUES (gen_random_uuid(), :a, :k, :amt, :on, :due, "
        ":ref, :c, :who) ON CONFLICT (kind, reference) WHERE reference IS NOT NULL DO NOTHING "
        "RETURNING id, account_id, kind, amount, posted_on, reference, corrects"),
        {"a": account_id, "k": kind, "amt": amount, "on": posted_on, "due": due_date,
         "ref": reference, "c": corrects, "who": who})).first()


async def entries(s: AsyncSession, account_id: uuid.UUID) -> list[Any]:
    return list((await s.execute(text(
        "SELECT id, seq, kind, amount, posted_on, due_date, reference, corrects, created_by "
        "FROM ledger_entries WHERE account_id = :a ORDER BY seq"), {"a": account_id})).all())


async def balance(s: AsyncSession, account_id: uuid.UUID) -> Decimal:
    return Decimal((await s.execute(text(
        "SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = :a"),
        {"a": account_id})).scalar_one())


async def by_reference(s: AsyncSession, kind: str, reference: str) -> Any:
    return (await s.execute(text(
        "SELECT * FROM ledger_entries WHERE kind = :k AND reference = :r"),
        {"k": kind, "r": reference})).first()


async def account(s: AsyncSession, account_id: uuid.UUID) -> Any:
    return (await s.execute(text("SELECT * FROM accounts WHERE id = :a"),
                            {"a": account_id})).first()


async def reconcile(s: AsyncSession) -> Any:
    """Three independent sums that must agree (see service.reconcile)."""
    return (await s.execute(text(
        """
        SELECT
          (SELECT coalesce(sum(amount), 0) FROM ledger_entries) AS ledger_total,
          (SELECT coalesce(sum(bal), 0) FROM (SELECT sum(amount) AS bal FROM ledger_entries
                                               GROUP BY account_id) x) AS balances_total,
          (SELECT count(*) FROM bills b WHERE b.status IN ('final', 'cancelled', 'draft')
             AND b.total <> (SELECT coalesce(sum(amount), 0) FROM bill_lines l
                             WHERE l.bill_id = b.id)) AS bills_not_matching_lines,
          (SELECT count(*) FROM bills b WHERE b.status IN ('final', 'cancelled')
             AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'bill'
                             AND e.reference = b.id::text AND e.amount = b.total))
             AS final_bills_not_posted,
          (SELECT count(*) FROM bills b WHERE b.status = 'cancelled'
             AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.kind = 'bill_cancel'
                             AND e.reference = b.id::text AND e.amount = -b.total))
             AS cancelled_bills_not_reversed
        """))).one()


async def last_bill_totals(s: AsyncSession, account_id: uuid.UUID, n: int) -> list[Decimal]:
    return [Decimal(r.total) for r in (await s.execute(text(
        "SELECT total FROM bills WHERE account_id = :a AND status = 'final' "
        "ORDER BY period_end DESC LIMIT :n"), {"a": account_id, "n": n})).all()]


async def returned_payments_since(s: AsyncSession, account_id: uuid.UUID, since: date) -> int:
    return int((await s.execute(text(
        "SELECT count(*) FROM ledger_entries WHERE account_id = :a "
        "AND kind = 'payment_reversal' AND posted_on >= :d"),
        {"a": account_id, "d": since})).scalar_one())


async def budget_plan(s: AsyncSession, account_id: uuid.UUID) -> Any:
    return (await s.execute(text("SELECT * FROM budget_plans WHERE account_id = :a"),
                            {"a": account_id})).first()


async def upsert_budget(s: AsyncSession, account_id: uuid.UUID, amount: Decimal, on: date,
                        who: str) -> None:
    await s.execute(text(
        "INSERT INTO budget_plans (account_id, monthly_amount, enrolled_on, status, enrolled_by)"
        " VALUES (:a, :m, :d, 'active', :w) ON CONFLICT (account_id) DO UPDATE SET "
        "monthly_amount = excluded.monthly_amount, enrolled_on = excluded.enrolled_on, "
        "status = 'active', enrolled_by = excluded.enrolled_by"),
        {"a": account_id, "m": amount, "d": on, "w": who})


async def deferred(s: AsyncSession, account_id: uuid.UUID) -> Decimal:
    """What budget billing has deferred since the last settlement (positive: owed later)."""
    return -Decimal((await s.execute(text(
        "SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = :a "
        "AND kind = 'budget_deferral' AND seq > coalesce((SELECT max(seq) FROM ledger_entries "
        "WHERE account_id = :a AND kind = 'budget_settlement'), 0)"),
        {"a": account_id})).scalar_one())
