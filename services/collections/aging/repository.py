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
class AccountName:
    id: uuid.UUID
    number: str | None
    name: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class Announced:
    balance: Decimal | None


async def entries(s: AsyncSession, account_id: uuid.UUID) -> list[ReceivableRow]:
    return all_as(ReceivableRow, await s.execute(text(
        "SELECT account_id, amount, posted_on, due_date FROM receivable "
        "WHERE account_id = :a"), {"a": account_id}))


async def entries_by_account(s: AsyncSession, as_of: date) -> list[ReceivableRow]:
    """Every entry posted by `as_of`, grouped by account (one statement for the district)."""
    return all_as(ReceivableRow, await s.execute(text(
        "SELECT account_id, amount, posted_on, due_date FROM receivable "
        "WHERE posted_on <= :d ORDER BY account_id"), {"d": as_of}))


async def names(s: AsyncSession, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AccountName]:
    rows = all_as(AccountName, await s.execute(text(
        "SELECT a.id, a.number, c.name, a.status FROM accounts a "
        "LEFT JOIN customers c ON c.id = a.customer_id WHERE a.id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": list(account_ids)}))
    return {r.id: r for r in rows}


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
