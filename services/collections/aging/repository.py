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

from kernel.rows import all_as, first_as, one_as
from services.collections.aging.domain import BUCKET_LIMITS, BUCKETS


def _bucket_sums(value: str, days: str, suffix: str = "", zero: bool = False) -> str:
    """`sum(value) FILTER (WHERE days in the bucket) AS <bucket><suffix>` for every bucket of
    `domain.BUCKET_LIMITS` (its edges, not a copy of them); `zero` makes an empty sum 0.00."""
    sums, lower = [], None
    for name, upper in BUCKET_LIMITS:
        where = (f"{days} <= {upper}" if lower is None else f"{days} > {lower}"
                 if upper is None else f"{days} BETWEEN {lower + 1} AND {upper}")
        total = f"sum({value}) FILTER (WHERE {where})"
        sums.append(f"{f'coalesce({total}, 0.00)' if zero else total} AS {name}{suffix}")
        lower = upper
    return ", ".join(sums)


def _zero_if_null(table: str) -> str:
    return ", ".join(f"coalesce({table}.{n}, 0.00) AS {n}" for n in BUCKETS)


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
# Only accounts whose debits exceed their credits are walked debit by debit: for the others
# every debit is covered (cumulative <= debits <= credits), so all their buckets are zero. Most
# of a district has paid, so the sort behind the running sum sees a fraction of the entries.
_CTES = """
    WITH acct AS (
        SELECT account_id, sum(amount) AS balance,
               coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credit,
               coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debit
        FROM receivable WHERE posted_on <= :d /*only*/
        GROUP BY account_id
    ), d AS (
        SELECT r.account_id, r.amount, o.credit, coalesce(r.due_date, r.posted_on) AS due,
               sum(r.amount) OVER (PARTITION BY r.account_id
                                   ORDER BY coalesce(r.due_date, r.posted_on), r.amount
                                   ROWS UNBOUNDED PRECEDING) AS cum
        FROM receivable r JOIN acct o ON o.account_id = r.account_id AND o.debit > o.credit
        WHERE r.posted_on <= :d AND r.amount > 0 /*only r*/
    ), open AS (
        SELECT account_id, CAST(:d AS date) - due AS days,
               greatest(0, least(amount, cum - credit)) AS left_amount, due
        FROM d
    ), b AS (
        SELECT account_id,
               """ + _bucket_sums("left_amount", "days") + """,
               min(due) FILTER (WHERE left_amount > 0) AS oldest_due
        FROM open GROUP BY account_id
    )"""
_ROWS = """
    SELECT acct.account_id, """ + _zero_if_null("b") + """,
           greatest(0.00, acct.credit - acct.debit) AS unapplied_credit, acct.balance,
           b.oldest_due, a.number, c.name, a.status
    FROM acct LEFT JOIN b USING (account_id)
    LEFT JOIN accounts a ON a.id = acct.account_id
    LEFT JOIN customers c ON c.id = a.customer_id
    ORDER BY acct.account_id
"""
# The district's totals as `domain.Totals` adds them up (balance = buckets less unapplied
# credit), summed in the database: a month's report needs no row per account.
_TOTALS = """
    , t AS (
        SELECT """ + _zero_if_null("b") + """,
               greatest(0.00, acct.credit - acct.debit) AS unapplied_credit
        FROM acct LEFT JOIN b USING (account_id)
    )
    SELECT count(*) AS accounts, """ + ", ".join(
    f"coalesce(sum({n}), 0.00) AS {n}" for n in BUCKETS) + """,
           coalesce(sum(unapplied_credit), 0.00) AS unapplied_credit
    FROM t
"""
_ONLY = ("/*only*/", "AND account_id = ANY(CAST(:ids AS uuid[]))")
_ONLY_R = ("/*only r*/", "AND r.account_id = ANY(CAST(:ids AS uuid[]))")
AGING = text(_CTES + _ROWS)
#: `AGING` for some accounts only (the same statement, each read of the receivable filtered).
AGING_OF = text(_CTES.replace(*_ONLY).replace(*_ONLY_R) + _ROWS)
AGING_TOTALS = text(_CTES + _TOTALS)


# `AGING_TOTALS` at two days at once (a month's opening and closing): one read of the receivable
# up to the later day, each day's sums taken with FILTER, and one sort serving both running sums
# (debits posted after the first day are in the order but not in its sum). Ties in (due,
# amount) may fall either way, as in `AGING`: their buckets' sum does not depend on it.
AGING_TOTALS_TWO_DAYS = text("""
    WITH acct AS (
        SELECT account_id,
               coalesce(-sum(amount) FILTER (WHERE amount < 0 AND posted_on <= :d1), 0) AS cr1,
               coalesce(sum(amount) FILTER (WHERE amount > 0 AND posted_on <= :d1), 0) AS dr1,
               coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS cr2,
               coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS dr2,
               count(*) FILTER (WHERE posted_on <= :d1) AS n1
        FROM receivable WHERE posted_on <= :d2
        GROUP BY account_id
    ), d AS (
        SELECT r.account_id, r.amount, r.posted_on, o.cr1, o.cr2,
               coalesce(r.due_date, r.posted_on) AS due,
               sum(r.amount) FILTER (WHERE r.posted_on <= :d1) OVER w AS cum1,
               sum(r.amount) OVER w AS cum2
        FROM receivable r
        JOIN acct o ON o.account_id = r.account_id AND (o.dr1 > o.cr1 OR o.dr2 > o.cr2)
        WHERE r.posted_on <= :d2 AND r.amount > 0
        WINDOW w AS (PARTITION BY r.account_id ORDER BY coalesce(r.due_date, r.posted_on),
                     r.amount ROWS UNBOUNDED PRECEDING)
    ), open AS (
        SELECT CAST(:d1 AS date) - due AS days1, CAST(:d2 AS date) - due AS days2,
               CASE WHEN posted_on <= :d1 THEN greatest(0, least(amount, cum1 - cr1))
               END AS left1,
               greatest(0, least(amount, cum2 - cr2)) AS left2
        FROM d
    ), b AS (
        SELECT """ + _bucket_sums("left1", "days1", "_1", zero=True) + """,
               """ + _bucket_sums("left2", "days2", "_2", zero=True) + """
        FROM open
    ), t AS (
        SELECT count(*) FILTER (WHERE n1 > 0) AS n1, count(*) AS n2,
               coalesce(sum(greatest(0.00, cr1 - dr1)), 0.00) AS u1,
               coalesce(sum(greatest(0.00, cr2 - dr2)), 0.00) AS u2
        FROM acct
    )
    SELECT 1 AS k, t.n1 AS accounts, """ + ", ".join(f"{n}_1 AS {n}" for n in BUCKETS) + """,
           u1 AS unapplied_credit
    FROM t, b
    UNION ALL
    SELECT 2, t.n2, """ + ", ".join(f"{n}_2" for n in BUCKETS) + """, u2 FROM t, b
    ORDER BY 1
""")


@dataclass(frozen=True, slots=True)
class DistrictAged:
    accounts: int
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_91_120: Decimal
    days_over_120: Decimal
    unapplied_credit: Decimal


async def aged_totals(s: AsyncSession, as_of: date) -> DistrictAged:
    """The district's aging totals as of the day, summed in one statement."""
    return one_as(DistrictAged, await s.execute(AGING_TOTALS, {"d": as_of}))


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


async def aged_totals_two_days(s: AsyncSession, first: date,
                               second: date) -> tuple[DistrictAged, DistrictAged]:
    """The district's aging totals on two days (`first` <= `second`), in one statement."""
    if first > second:
        raise ValueError("first must not be after second")
    rows = (await s.execute(AGING_TOTALS_TWO_DAYS, {"d1": first, "d2": second})).all()
    one, two = (DistrictAged(*r[1:]) for r in rows)
    return one, two
