"""All SQL of the portal: the payments a customer started (`portal_payments`), and what the
customer sees from payments' copy, its payments and their reversals and returns (read only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


@dataclass(frozen=True, slots=True)
class CustomerAccount:
    id: str
    number: str
    name: str
    status: str
    balance: Decimal | None


@dataclass(frozen=True, slots=True)
class Bill:
    id: str
    bill_date: date
    due_date: date
    total: Decimal


@dataclass(frozen=True, slots=True)
class HistoryRow:
    id: uuid.UUID
    receipt_number: int
    received_on: date
    amount: Decimal
    tender: str
    channel: str
    returned: Decimal
    transferred: Decimal


@dataclass(frozen=True, slots=True)
class PortalPayment:
    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    amount: Decimal
    processor: str
    processor_key: str
    session_id: str | None
    url: str | None
    method_id: uuid.UUID | None
    charge_ref: str | None
    charge_status: str | None
    failure_code: str | None
    requested_by: str
    created_at: datetime
    posted_payment_id: uuid.UUID | None


_PP = ("pp.id, pp.account_id, pp.kind, pp.amount, pp.processor, pp.processor_key, "
       "pp.session_id, pp.url, pp.method_id, pp.charge_ref, pp.charge_status, pp.failure_code, "
       "pp.requested_by, pp.created_at, p.id AS posted_payment_id")
# The payment the processor's webhook posted for it: taken by the processor under our key.
_PP_FROM = ("portal_payments pp LEFT JOIN payments p ON p.taken_by = pp.processor "
            "AND p.idempotency_key = pp.processor_key")


async def account(s: AsyncSession, account_id: uuid.UUID) -> CustomerAccount | None:
    r = (await s.execute(text(
        "SELECT a.id::text AS id, a.number, a.name, a.status, b.balance FROM accounts a "
        "LEFT JOIN balances b ON b.account_id = a.id WHERE a.id = :a"), {"a": account_id})).first()
    return None if r is None else CustomerAccount(r.id, r.number, r.name, r.status, r.balance)


async def open_bills(s: AsyncSession, account_id: uuid.UUID) -> list[Bill]:
    return [Bill(*r) for r in (await s.execute(text(
        "SELECT id::text, bill_date, due_date, total FROM bills WHERE account_id = :a "
        "AND status = 'open' ORDER BY due_date DESC, bill_date DESC LIMIT 24"),
        {"a": account_id})).all()]


async def history(s: AsyncSession, account_id: uuid.UUID, limit: int) -> list[HistoryRow]:
    """Posted payments, newest first, with what was reversed of each: by the processor
    (refunds, chargebacks, ACH returns) or by the bank (a returned check, an autopay debit);
    and what staff moved of it to another account (a misapplied payment)."""
    return [HistoryRow(*r) for r in (await s.execute(text(
        "SELECT p.id, p.receipt_number, p.received_on, p.amount, p.tender, p.channel, "
        "CAST(coalesce((SELECT sum(r.amount) FROM processor_payments pr "
        "JOIN processor_reversals r ON r.processor = pr.processor "
        "AND r.payment_ref = pr.payment_ref AND r.applied_at IS NOT NULL "
        "WHERE pr.payment_id = p.id), 0) "
        "+ coalesce((SELECT x.amount FROM payment_returns x WHERE x.payment_id = p.id), 0) "
        "AS numeric(14,2)) AS returned, "
        "CAST(coalesce((SELECT sum(t.amount) FROM transfers t WHERE t.payment_id = p.id "
        "AND t.status = 'transferred'), 0) AS numeric(14,2)) AS transferred "
        "FROM payments p WHERE p.account_id = :a AND p.status = 'posted' "
        "ORDER BY p.received_on DESC, p.receipt_number DESC LIMIT :n"),
        {"a": account_id, "n": limit})).all()]


async def by_key(s: AsyncSession, requested_by: str, key: str) -> PortalPayment | None:
    r = (await s.execute(text(
        f"SELECT {_PP} FROM {_PP_FROM} WHERE pp.requested_by = :w AND pp.idempotency_key = :k"),
        {"w": requested_by, "k": key})).first()
    return None if r is None else PortalPayment(*r)


async def get(s: AsyncSession, account_id: uuid.UUID, pp_id: uuid.UUID) -> PortalPayment | None:
    r = (await s.execute(text(
        f"SELECT {_PP} FROM {_PP_FROM} WHERE pp.id = :i AND pp.account_id = :a"),
        {"i": pp_id, "a": account_id})).first()
    return None if r is None else PortalPayment(*r)


async def recent(s: AsyncSession, account_id: uuid.UUID, limit: int) -> list[PortalPayment]:
    return [PortalPayment(*r) for r in (await s.execute(text(
        f"SELECT {_PP} FROM {_PP_FROM} WHERE pp.account_id = :a "
        f"ORDER BY pp.created_at DESC LIMIT :n"), {"a": account_id, "n": limit})).all()]


@dataclass(frozen=True, slots=True)
class NewPortalPayment:
    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    amount: Decimal
    processor: str
    processor_key: str
    session_id: str | None
    url: str | None
    method_id: uuid.UUID | None
    charge_ref: str | None
    charge_status: str | None
    failure_code: str | None
    requested_by: str
    idempotency_key: str


async def insert(s: AsyncSession, p: NewPortalPayment) -> None:
    await s.execute(text(
        "INSERT INTO portal_payments (id, account_id, kind, amount, processor, processor_key, "
        "session_id, url, method_id, charge_ref, charge_status, failure_code, requested_by, "
        "idempotency_key) VALUES (:id, :account_id, :kind, :amount, :processor, "
        ":processor_key, :session_id, :url, :method_id, :charge_ref, :charge_status, "
        ":failure_code, :requested_by, :idempotency_key)"),
        {f: getattr(p, f) for f in NewPortalPayment.__dataclass_fields__})
