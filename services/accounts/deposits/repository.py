"""All SQL for deposits: decisions, marks against payment history, refunds and credits (the
amount held is the account's: customers writes it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as
from services.accounts.common import as_models
from services.accounts.deposits.schemas import DepositTx


@dataclass(frozen=True)
class Candidate:
    """An account holding a deposit, with its latest mark against payment history."""

    id: uuid.UUID
    number: str
    deposit_held: Decimal
    deposit_held_since: date
    last_mark: date | None


async def add_transaction(session: AsyncSession, account_id: uuid.UUID, kind: str,
                          amount: Decimal, on: date, reason: str | None, actor: str) -> None:
    await session.execute(
        text("INSERT INTO deposit_transactions (account_id, kind, amount, on_date, reason, "
             "actor) VALUES (:a, :k, :m, :d, :r, :actor)"),
        {"a": account_id, "k": kind, "m": amount, "d": on, "r": reason, "actor": actor},
    )


async def transactions(session: AsyncSession, account_id: uuid.UUID) -> list[DepositTx]:
    return as_models(DepositTx, (await session.execute(
        text("SELECT kind, amount, on_date, reason, actor FROM deposit_transactions "
             "WHERE account_id = :a ORDER BY id"), {"a": account_id})).all())


async def add_mark(session: AsyncSession, account_id: uuid.UUID, kind: str, on: date,
                   event_id: uuid.UUID) -> None:
    await session.execute(
        text("INSERT INTO deposit_marks (account_id, kind, on_date, event_id) "
             "VALUES (:a, :k, :d, :e) ON CONFLICT (event_id) DO NOTHING"),
        {"a": account_id, "k": kind, "d": on, "e": event_id},
    )


async def good_history_elsewhere(session: AsyncSession, customer_id: uuid.UUID,
                                 since: date) -> bool:
    """The customer has an account opened before `since` with no mark since then."""
    return bool((await session.execute(
        text("SELECT EXISTS (SELECT 1 FROM accounts a WHERE a.customer_id = :c "
             "AND a.opened_on <= :s AND NOT EXISTS (SELECT 1 FROM deposit_marks m "
             "WHERE m.account_id = a.id AND m.on_date > :s))"),
        {"c": customer_id, "s": since},
    )).scalar_one())


async def candidates(session: AsyncSession, held_before: date) -> list[Candidate]:
    """Accounts holding a deposit since `held_before` or earlier, with their latest mark."""
    return all_as(Candidate, (await session.execute(
        text("SELECT a.id, a.number, a.deposit_held, a.deposit_held_since, "
             "(SELECT max(on_date) FROM deposit_marks m WHERE m.account_id = a.id) AS last_mark "
             "FROM accounts a WHERE a.deposit_held > 0 AND a.deposit_held_since <= :d "
             "ORDER BY a.number"),
        {"d": held_before},
    )))
