"""All SQL of returned payments and payments' own cash-only state of accounts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import first_as, one_as, row_as

_COLUMNS = ("id, payment_id, account_id, amount, reason, return_code, returned_on, return_key, "
            "note, fee, fee_waived_by, fee_waived_reason, returned_by, created_at")
# The return with what the receipt said of the payment (read, never written, here).
_RETURN = (", ".join(f"r.{c.strip()}" for c in _COLUMNS.split(",")) +
           ", p.receipt_number, p.account_number, p.tender, p.channel, p.received_on")
_FROM = "payment_returns r JOIN payments p ON p.id = r.payment_id"


@dataclass(frozen=True, slots=True)
class Return:
    id: uuid.UUID
    payment_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason: str
    return_code: str
    returned_on: date
    return_key: str
    note: str | None
    fee: Decimal | None
    fee_waived_by: str | None
    fee_waived_reason: str | None
    returned_by: str
    created_at: datetime
    receipt_number: int
    account_number: str
    tender: str
    channel: str
    received_on: date


@dataclass(frozen=True, slots=True)
class NewReturn:
    payment_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason: str
    return_code: str
    returned_on: date
    return_key: str
    note: str | None
    fee: Decimal | None
    fee_waived_by: str | None
    fee_waived_reason: str | None
    returned_by: str


@dataclass(frozen=True, slots=True)
class CashOnlyRow:
    account_id: uuid.UUID
    manual: str | None
    manual_on: date | None
    manual_until: date | None
    manual_reason: str | None
    manual_by: str | None
    cleared_on: date | None
    announced: bool
    reason: str | None
    since: date | None
    until: date | None
    changed_by: str
    changed_at: datetime


async def lock_account(s: AsyncSession, account_id: uuid.UUID) -> None:
    """Returns and cash-only changes of one account, one at a time (the recount sees every
    return committed before it)."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 11))"),
                    {"k": f"cash-only:{account_id}"})


async def by_key(s: AsyncSession, return_key: str) -> Return | None:
    return first_as(Return, await s.execute(text(
        f"SELECT {_RETURN} FROM {_FROM} WHERE r.return_key = :k"), {"k": return_key}))


async def by_payment(s: AsyncSession, payment_id: uuid.UUID) -> Return | None:
    return first_as(Return, await s.execute(text(
        f"SELECT {_RETURN} FROM {_FROM} WHERE r.payment_id = :p"), {"p": payment_id}))


async def get(s: AsyncSession, return_id: uuid.UUID) -> Return | None:
    return first_as(Return, await s.execute(text(
        f"SELECT {_RETURN} FROM {_FROM} WHERE r.id = :id"), {"id": return_id}))


async def insert(s: AsyncSession, r: NewReturn) -> Return:
    await s.execute(text(
        "INSERT INTO payment_returns (id, payment_id, account_id, amount, reason, return_code, "
        "returned_on, return_key, note, fee, fee_waived_by, fee_waived_reason, returned_by) "
        "VALUES (gen_random_uuid(), :payment_id, :account_id, :amount, :reason, :return_code, "
        ":returned_on, :return_key, :note, :fee, :fee_waived_by, :fee_waived_reason, "
        ":returned_by)"), {f: getattr(r, f) for f in NewReturn.__dataclass_fields__})
    return one_as(Return, await s.execute(text(
        f"SELECT {_RETURN} FROM {_FROM} WHERE r.return_key = :k"), {"k": r.return_key}))


async def search(s: AsyncSession, account_id: uuid.UUID | None, date_from: date | None,
                 date_to: date | None, limit: int) -> list[Return]:
    rows = (await s.execute(text(
        f"SELECT {_RETURN} FROM {_FROM} WHERE "
        f"(CAST(:a AS uuid) IS NULL OR r.account_id = :a) "
        f"AND (CAST(:f AS date) IS NULL OR r.returned_on >= :f) "
        f"AND (CAST(:t AS date) IS NULL OR r.returned_on <= :t) "
        f"ORDER BY r.returned_on DESC, r.created_at DESC LIMIT :n"),
        {"a": account_id, "f": date_from, "t": date_to, "n": limit})).all()
    return [row_as(Return, r) for r in rows]


async def return_dates(s: AsyncSession, account_id: uuid.UUID) -> list[date]:
    return [r[0] for r in (await s.execute(text(
        "SELECT returned_on FROM payment_returns WHERE account_id = :a ORDER BY returned_on"),
        {"a": account_id})).all()]


async def cash_only(s: AsyncSession, account_id: uuid.UUID) -> CashOnlyRow | None:
    return first_as(CashOnlyRow, await s.execute(text(
        "SELECT * FROM cash_only_accounts WHERE account_id = :a"), {"a": account_id}))


async def set_manual(s: AsyncSession, account_id: uuid.UUID, *, manual: str, on: date,
                     until: date | None, reason: str, who: str) -> None:
    """A supervisor's flag ('set') or clear ('cleared': returns up to `on` stop counting)."""
    await s.execute(text(
        "INSERT INTO cash_only_accounts (account_id, manual, manual_on, manual_until, "
        "manual_reason, manual_by, cleared_on, changed_by) VALUES (:a, :m, :on, :u, :r, :w, "
        "CASE WHEN :m = 'cleared' THEN CAST(:on AS date) END, :w) "
        "ON CONFLICT (account_id) DO UPDATE SET manual = excluded.manual, "
        "manual_on = excluded.manual_on, manual_until = excluded.manual_until, "
        "manual_reason = excluded.manual_reason, manual_by = excluded.manual_by, "
        "cleared_on = coalesce(excluded.cleared_on, cash_only_accounts.cleared_on), "
        "changed_by = excluded.changed_by, changed_at = now()"),
        {"a": account_id, "m": manual, "on": on, "u": until, "r": reason, "w": who})


async def set_announced(s: AsyncSession, account_id: uuid.UUID, *, cash_only: bool,
                        reason: str | None, since: date | None, until: date | None,
                        who: str) -> None:
    await s.execute(text(
        "INSERT INTO cash_only_accounts (account_id, announced, reason, since, until, "
        "changed_by) VALUES (:a, :c, :r, :s, :u, :w) ON CONFLICT (account_id) DO UPDATE SET "
        "announced = excluded.announced, reason = excluded.reason, since = excluded.since, "
        "until = excluded.until, changed_by = excluded.changed_by, changed_at = now()"),
        {"a": account_id, "c": cash_only, "r": reason, "s": since, "u": until, "w": who})
