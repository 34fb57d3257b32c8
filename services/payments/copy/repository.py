"""All SQL of payments' copy of accounts and billing data."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.payments.copy.domain import AccountRow, BillRow

COPY_TABLES = ("accounts", "customers", "bills", "balances")


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    number: str
    name: str
    status: str
    cash_only: bool
    balance: Decimal | None


@dataclass(frozen=True, slots=True)
class Payee:
    """Who a refund check is made out to and where it is mailed (address: accounts' shape,
    None while the copy has none)."""

    account_id: str
    number: str
    name: str
    mailing_address: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class OpenBill:
    id: str
    bill_date: date
    due_date: date
    total: Decimal


async def upsert_account(s: AsyncSession, r: AccountRow) -> None:
    await s.execute(text(
        "INSERT INTO accounts (id, number, customer_id, status, cash_only, name, "
        "mailing_address) VALUES (:id, :number, :customer_id, :status, :cash_only, "
        "coalesce((SELECT name FROM customers WHERE id = :customer_id), ''), "
        "CAST(:address AS jsonb)) "
        "ON CONFLICT (id) DO UPDATE SET number = excluded.number, "
        "customer_id = excluded.customer_id, status = excluded.status, "
        "cash_only = excluded.cash_only, name = excluded.name, "
        "mailing_address = excluded.mailing_address"),
        {"id": r.id, "number": r.number, "customer_id": r.customer_id, "status": r.status,
         "cash_only": r.cash_only,
         "address": None if r.mailing_address is None else json.dumps(r.mailing_address)})


async def upsert_customer(s: AsyncSession, customer_id: str, name: str,
                          address: dict[str, str] | None = None) -> None:
    await s.execute(text(
        "INSERT INTO customers (id, name, mailing_address) VALUES (:id, :name, "
        "CAST(:address AS jsonb)) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "mailing_address = excluded.mailing_address"),
        {"id": customer_id, "name": name,
         "address": None if address is None else json.dumps(address)})
    await s.execute(text("UPDATE accounts SET name = :name WHERE customer_id = :id"),
                    {"id": customer_id, "name": name})


async def upsert_bill(s: AsyncSession, b: BillRow) -> None:
    """An issued bill is open; a bill already cancelled stays cancelled (replays)."""
    await s.execute(text(
        "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) "
        "VALUES (:id, :a, :bd, :dd, :t, 'open') ON CONFLICT (id) DO UPDATE SET "
        "account_id = excluded.account_id, bill_date = excluded.bill_date, "
        "due_date = excluded.due_date, total = excluded.total"),
        {"id": b.id, "a": b.account_id, "bd": b.bill_date, "dd": b.due_date, "t": b.total})


async def cancel_bill(s: AsyncSession, bill_id: str, account_id: str) -> None:
    """Cancelled whether or not the copy has the bill yet (its BillIssued may come later only
    on a replay from a later point; the row then stays cancelled)."""
    await s.execute(text(
        "INSERT INTO bills (id, account_id, bill_date, due_date, total, status) "
        "VALUES (:id, :a, '1900-01-01', '1900-01-01', 0, 'cancelled') "
        "ON CONFLICT (id) DO UPDATE SET status = 'cancelled'"), {"id": bill_id, "a": account_id})


async def set_balance(s: AsyncSession, account_id: str, balance: Decimal,
                      as_of: datetime) -> None:
    await s.execute(text(
        "INSERT INTO balances (account_id, balance, as_of) VALUES (:a, :b, :t) "
        "ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance, "
        "as_of = excluded.as_of"), {"a": account_id, "b": balance, "t": as_of})


async def account_by_number(s: AsyncSession, number: str) -> Account | None:
    r = (await s.execute(text(
        "SELECT a.id::text AS id, a.number, a.name, a.status, a.cash_only, b.balance "
        "FROM accounts a LEFT JOIN balances b ON b.account_id = a.id WHERE a.number = :n"),
        {"n": number})).first()
    return None if r is None else Account(r.id, r.number, r.name, r.status, r.cash_only,
                                          r.balance)


async def open_bills(s: AsyncSession, account_id: str) -> list[OpenBill]:
    return [OpenBill(r.id, r.bill_date, r.due_date, r.total) for r in (await s.execute(text(
        "SELECT id::text AS id, bill_date, due_date, total FROM bills "
        "WHERE account_id = :a AND status = 'open' ORDER BY due_date, bill_date"),
        {"a": account_id})).all()]


async def clear_copy(s: AsyncSession) -> None:
    for table in COPY_TABLES:
        await s.execute(text(f"DELETE FROM {table}"))


async def account_name(s: AsyncSession, account_id: uuid.UUID) -> str:
    r = (await s.execute(text("SELECT name FROM accounts WHERE id = :a"),
                         {"a": account_id})).first()
    return "" if r is None else str(r.name)


async def open_by_numbers(s: AsyncSession, numbers: list[str]) -> dict[str, str]:
    """Number → account id for those of `numbers` that are open (not closed) in the copy."""
    return {r.number: r.id for r in (await s.execute(text(
        "SELECT number, id::text AS id FROM accounts WHERE number = ANY(CAST(:n AS text[])) "
        "AND status <> 'closed'"), {"n": numbers})).all()}


async def account_by_id(s: AsyncSession, account_id: uuid.UUID) -> Account | None:
    r = (await s.execute(text(
        "SELECT a.id::text AS id, a.number, a.name, a.status, a.cash_only, b.balance "
        "FROM accounts a LEFT JOIN balances b ON b.account_id = a.id WHERE a.id = :a"),
        {"a": account_id})).first()
    return None if r is None else Account(r.id, r.number, r.name, r.status, r.cash_only,
                                          r.balance)


async def balances_of(s: AsyncSession, account_ids: list[uuid.UUID]) -> dict[str, Decimal]:
    """Billing's last announced balance per account (accounts without one are left out)."""
    return {r.id: Decimal(r.balance) for r in (await s.execute(text(
        "SELECT account_id::text AS id, balance FROM balances "
        "WHERE account_id = ANY(CAST(:a AS uuid[]))"), {"a": account_ids})).all()}


async def payees(s: AsyncSession, account_ids: list[uuid.UUID]) -> dict[str, Payee]:
    return {r.id: Payee(r.id, r.number, r.name, r.address) for r in (await s.execute(text(
        "SELECT a.id::text AS id, a.number, a.name, "
        "coalesce(a.mailing_address, c.mailing_address) AS address FROM accounts a "
        "LEFT JOIN customers c ON c.id = a.customer_id "
        "WHERE a.id = ANY(CAST(:a AS uuid[]))"), {"a": account_ids})).all()}


# -- text-to-pay's reads (pay-text) ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class BalanceDue:
    account_id: str
    number: str
    balance: Decimal
    bill_id: str
    due_date: date


async def balances_due(s: AsyncSession, account_ids: list[str]) -> list[BalanceDue]:
    """Of these accounts, those open with a balance above zero, each with its latest open
    bill: one query for a whole run of balance messages."""
    return [BalanceDue(r.id, r.number, r.balance, r.bill_id, r.due_date)
            for r in (await s.execute(text(
                "SELECT a.id::text AS id, a.number, b.balance, lb.id::text AS bill_id, "
                "lb.due_date FROM accounts a JOIN balances b ON b.account_id = a.id "
                "CROSS JOIN LATERAL (SELECT id, due_date FROM bills WHERE account_id = a.id "
                "AND status = 'open' ORDER BY bill_date DESC, due_date DESC LIMIT 1) lb "
                "WHERE a.id = ANY(CAST(:ids AS uuid[])) AND a.status <> 'closed' "
                "AND b.balance > 0 ORDER BY a.number"), {"ids": account_ids})).all()]
