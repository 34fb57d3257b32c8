"""All SQL of aging: it reads the copy's receivable (the `receivable` view over bills and
ledger entries) and writes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as


@dataclass(frozen=True, slots=True)
class ReceivableRow:
    account_id: uuid.UUID
    amount: Decimal
    posted_on: date
    due_date: date | None


@dataclass(frozen=True, slots=True)
class Announced:
    balance: Decimal | None


async def entries(s: AsyncSession, account_id: uuid.UUID) -> list[ReceivableRow]:
    return all_as(ReceivableRow, await s.execute(text(
        "SELECT account_id, amount, posted_on, due_date FROM receivable "
        "WHERE account_id = :a"), {"a": account_id}))


@dataclass(frozen=True, slots=True)
class AccountAged:
    """One account's aging as of the report's day, computed set-based (`AGING`), with its
    number, name and status as the copy has them (None until accounts has announced it)."""

    account_id: uuid.UUID
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_91_120: Decimal
    days_over_120: Decimal
    unapplied_credit: Decimal
    balance: Decimal
    oldest_due: date | None
    number: str | None
    name: str | None
    status: str | None


# The aging rule of `domain.aging`, set-based for the whole district in one statement (SQL that
# repeats a Python rule for speed: tests/collections/test_aging_sql_agrees.py draws ledgers and
# demands both agree to the cent). Each debit is open for what the credits do not cover of the
# debits up to and including it, oldest due first: left = clamp(cumulative - credit, 0, amount).
# Debits due the same day fall in one bucket whatever their order among themselves.
AGING = text("""
    WITH e AS (
        SELECT account_id, amount, coalesce(due_date, posted_on) AS due
        FROM receivable WHERE posted_on <= :d
    ), acct AS (
        SELECT account_id, sum(amount) AS balance,
               coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credit,
               coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debit
        FROM e GROUP BY account_id
    ), d AS (
        SELECT account_id, amount, due,
               sum(amount) OVER (PARTITION BY account_id ORDER BY due, amount
                                 ROWS UNBOUNDED PRECEDING) AS cum
        FROM e WHERE amount > 0
    ), open AS (
        SELECT d.account_id, CAST(:d AS date) - d.due AS days,
               greatest(0, least(d.amount, d.cum - acct.credit)) AS left_amount, d.due
        FROM d JOIN acct USING (account_id)
    ), b AS (
        SELECT account_id,
               sum(left_amount) FILTER (WHERE days <= 0) AS current,
               sum(left_amount) FILTER (WHERE days BETWEEN 1 AND 30) AS days_1_30,
               sum(left_amount) FILTER (WHERE days BETWEEN 31 AND 60) AS days_31_60,
               sum(left_amount) FILTER (WHERE days BETWEEN 61 AND 90) AS days_61_90,
               sum(left_amount) FILTER (WHERE days BETWEEN 91 AND 120) AS days_91_120,
               sum(left_amount) FILTER (WHERE days > 120) AS days_over_120,
               min(due) FILTER (WHERE left_amount > 0) AS oldest_due
        FROM open GROUP BY account_id
    )
    SELECT acct.account_id,
           coalesce(b.current, 0.00) AS current, coalesce(b.days_1_30, 0.00) AS days_1_30,
           coalesce(b.days_31_60, 0.00) AS days_31_60, coalesce(b.days_61_90, 0.00) AS days_61_90,
           coalesce(b.days_91_120, 0.00) AS days_91_120,
           coalesce(b.days_over_120, 0.00) AS days_over_120,
           greatest(0.00, acct.credit - acct.debit) AS unapplied_credit, acct.balance,
           b.oldest_due, a.number, c.name, a.status
    FROM acct LEFT JOIN b USING (account_id)
    LEFT JOIN accounts a ON a.id = acct.account_id
    LEFT JOIN customers c ON c.id = a.customer_id
    ORDER BY acct.account_id
""")


_ALL_ENTRIES = "FROM receivable WHERE posted_on <= :d"
if AGING.text.count(_ALL_ENTRIES) != 1:  # an edit of AGING must keep AGING_OF filtering
    raise RuntimeError("aging: AGING no longer reads the receivable in one place")
#: `AGING` for some accounts only (the same statement, the receivable filtered first).
AGING_OF = text(AGING.text.replace(
    _ALL_ENTRIES, _ALL_ENTRIES + " AND account_id = ANY(CAST(:ids AS uuid[]))"))


async def aged_some(s: AsyncSession, account_ids: Sequence[uuid.UUID],
                    as_of: date) -> list[AccountAged]:
    """Those accounts' aging as of the day, in one statement (accounts with no entries are
    absent)."""
    return all_as(AccountAged, await s.execute(AGING_OF, {
        "d": as_of, "ids": [str(i) for i in account_ids]}))


async def aged_accounts(s: AsyncSession, as_of: date) -> list[AccountAged]:
    """Every account with entries posted by `as_of`, aged: one statement for the district."""
    return all_as(AccountAged, await s.execute(AGING, {"d": as_of}))


async def known(s: AsyncSession, account_id: uuid.UUID) -> bool:
    """Whether the copy has heard of the account from accounts or billing."""
    return (await s.execute(text(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = :a) "
        "OR EXISTS (SELECT 1 FROM receivable WHERE account_id = :a)"),
        {"a": account_id})).scalar_one() is True


async def announced_balance(s: AsyncSession, account_id: uuid.UUID) -> Decimal | None:
    r = first_as(Announced, await s.execute(text(
        "SELECT balance FROM balances WHERE account_id = :a"), {"a": account_id}))
    return None if r is None else r.balance


@dataclass(frozen=True, slots=True)
class Check:
    announced_total: Decimal
    accounts_behind: int


async def announced_check(s: AsyncSession) -> Check:
    """The sum of billing's last announced balances, and how many accounts' entries in the copy
    do not sum to it (an event not yet delivered, or a bill cancelled since the announcement)."""
    r = first_as(Check, await s.execute(text(
        "WITH mine AS (SELECT account_id, sum(amount) AS bal FROM receivable "
        "GROUP BY account_id) "
        "SELECT coalesce((SELECT sum(balance) FROM balances), 0) AS announced_total, "
        "(SELECT count(*) FROM balances b FULL JOIN mine m ON m.account_id = b.account_id "
        " WHERE coalesce(b.balance, 0) <> coalesce(m.bal, 0)) AS accounts_behind")))
    assert r is not None
    return r
