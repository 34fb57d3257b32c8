"""All SQL of the ledger (append-only entries; corrections are new entries)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as, one_as


@dataclass(frozen=True)
class Posted:
    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    amount: Decimal
    posted_on: date
    reference: str | None
    corrects: uuid.UUID | None


@dataclass(frozen=True)
class Entry:
    id: uuid.UUID
    seq: int
    kind: str
    amount: Decimal
    posted_on: date
    due_date: date | None
    reference: str | None
    corrects: uuid.UUID | None
    created_by: str


@dataclass(frozen=True)
class Account:
    """Billing's copy of an account, as the ledger needs it."""

    id: uuid.UUID
    customer_id: uuid.UUID | None
    status: str


@dataclass(frozen=True)
class Sums:
    ledger_total: Decimal
    balances_total: Decimal
    bills_not_matching_lines: int
    final_bills_not_posted: int
    cancelled_bills_not_reversed: int


@dataclass(frozen=True)
class BudgetPlan:
    account_id: uuid.UUID
    monthly_amount: Decimal
    enrolled_on: date
    status: str


async def post(s: AsyncSession, account_id: uuid.UUID, kind: str, amount: Decimal,
               posted_on: date, reference: str | None, who: str,
               corrects: uuid.UUID | None = None, due_date: date | None = None) -> Posted | None:
    """Insert an entry; None when an entry of this kind and reference exists (replays)."""
    return first_as(Posted, await s.execute(text(
        "INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, due_date, "
        "reference, corrects, created_by) VALUES (gen_random_uuid(), :a, :k, :amt, :on, :due, "
        ":ref, :c, :who) ON CONFLICT (kind, reference) WHERE reference IS NOT NULL DO NOTHING "
        "RETURNING id, account_id, kind, amount, posted_on, reference, corrects"),
        {"a": account_id, "k": kind, "amt": amount, "on": posted_on, "due": due_date,
         "ref": reference, "c": corrects, "who": who}))


async def entries(s: AsyncSession, account_id: uuid.UUID) -> list[Entry]:
    return all_as(Entry, await s.execute(text(
        "SELECT id, seq, kind, amount, posted_on, due_date, reference, corrects, created_by "
        "FROM ledger_entries WHERE account_id = :a ORDER BY seq"), {"a": account_id}))


async def balance(s: AsyncSession, account_id: uuid.UUID) -> Decimal:
    return Decimal((await s.execute(text(
        "SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = :a"),
        {"a": account_id})).scalar_one())


async def by_reference(s: AsyncSession, kind: str, reference: str) -> Entry | None:
    return first_as(Entry, await s.execute(text(
        "SELECT * FROM ledger_entries WHERE kind = :k AND reference = :r"),
        {"k": kind, "r": reference}))


async def account(s: AsyncSession, account_id: uuid.UUID) -> Account | None:
    return first_as(Account, await s.execute(
        text("SELECT id, customer_id, status FROM accounts WHERE id = :a"), {"a": account_id}))


async def reconcile(s: AsyncSession) -> Sums:
    """Three independent sums that must agree (see service.reconcile)."""
    return one_as(Sums, await s.execute(text(
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
        """)))


async def last_bill_totals(s: AsyncSession, account_id: uuid.UUID, n: int) -> list[Decimal]:
    return [Decimal(r.total) for r in (await s.execute(text(
        "SELECT total FROM bills WHERE account_id = :a AND status = 'final' "
        "ORDER BY period_end DESC LIMIT :n"), {"a": account_id, "n": n})).all()]


async def returned_payments_since(s: AsyncSession, account_id: uuid.UUID, since: date) -> int:
    return int((await s.execute(text(
        "SELECT count(*) FROM ledger_entries WHERE account_id = :a "
        "AND kind = 'payment_reversal' AND posted_on >= :d"),
        {"a": account_id, "d": since})).scalar_one())


async def budget_plan(s: AsyncSession, account_id: uuid.UUID) -> BudgetPlan | None:
    return first_as(BudgetPlan, await s.execute(
        text("SELECT * FROM budget_plans WHERE account_id = :a"), {"a": account_id}))


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


# A run's final bills in one statement, read where they lie (no round trip of 100,000 ids
# through the application): the bill entries and a `budget_deferral` (budget minus bill) for
# each account on budget billing. Balances after them are summed by the statement that
# announces the bills (`runs.repository.BILL_EVENTS`), which sees these rows.
POST_RUN_BILLS = text("""
    INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, due_date,
                                reference, created_by)
    SELECT gen_random_uuid(), b.account_id, 'bill', b.total, CAST(:on AS date),
           CAST(:due AS date), b.id::text, CAST(:who AS text)
    FROM bills b WHERE b.run_id = :run AND b.status = 'final'
    UNION ALL
    SELECT gen_random_uuid(), b.account_id, 'budget_deferral', bp.monthly_amount - b.total,
           CAST(:on AS date), CAST(:due AS date), b.id::text, CAST(:who AS text)
    FROM bills b JOIN budget_plans bp ON bp.account_id = b.account_id AND bp.status = 'active'
    WHERE b.run_id = :run AND b.status = 'final' AND bp.monthly_amount <> b.total
""")


async def post_run_bills(s: AsyncSession, run_id: uuid.UUID, posted_on: date, due_date: date,
                         who: str) -> int:
    res = await s.execute(POST_RUN_BILLS, {"run": run_id, "on": posted_on, "due": due_date,
                                           "who": who})
    return int(res.rowcount)  # type: ignore[attr-defined]


# Cancelling bills: a `bill_cancel` reversing each bill entry and a `budget_deferral` reversing
# its deferral, each pointing at the entry it corrects.
REVERSE_BILLS = text("""
    INSERT INTO ledger_entries (id, account_id, kind, amount, posted_on, reference, corrects,
                                created_by)
    SELECT gen_random_uuid(), e.account_id,
           CASE e.kind WHEN 'bill' THEN 'bill_cancel' ELSE 'budget_deferral' END, -e.amount,
           :on, CASE e.kind WHEN 'bill' THEN e.reference ELSE 'cancel:' || e.reference END,
           e.id, :who
    FROM ledger_entries e
    WHERE e.kind IN ('bill', 'budget_deferral') AND e.reference = ANY(CAST(:refs AS text[]))
    ORDER BY e.seq
""")


async def reverse_bills(s: AsyncSession, bill_ids: Sequence[uuid.UUID], on: date,
                        who: str) -> None:
    await s.execute(REVERSE_BILLS, {"refs": [str(b) for b in bill_ids], "on": on, "who": who})
