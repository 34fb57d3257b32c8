"""All SQL of bank deposits (and the read-only worklist of what is ready to deposit)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.payments.bankdeposits.domain import Item

_COLUMNS = ("id, number, status, prepared_on, prepared_by, prepared_at, idempotency_key, "
            "cash_counts, cash_total, checks_count, checks_total, total, note, signed_off_by, "
            "signed_off_at, sign_off_note, bank_reference, deposited_on, confirmed_by, "
            "confirmed_at")


@dataclass(frozen=True, slots=True)
class Deposit:
    id: uuid.UUID
    number: int
    status: str
    prepared_on: date
    prepared_by: str
    prepared_at: datetime
    idempotency_key: str
    cash_counts: dict[str, int]
    cash_total: Decimal
    checks_count: int
    checks_total: Decimal
    total: Decimal
    note: str | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    sign_off_note: str | None
    bank_reference: str | None
    deposited_on: date | None
    confirmed_by: str | None
    confirmed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Source:
    """A drawer or a batch in a deposit, with what it put in the bag."""

    source: str
    source_id: uuid.UUID
    worked_by: str
    taken_on: date
    cash: Decimal
    cash_counts: dict[str, int]
    float_kept: Decimal
    kept_counts: dict[str, int]
    checks_count: int
    checks_total: Decimal


@dataclass(frozen=True, slots=True)
class StoredItem:
    line: int
    source: str
    source_id: uuid.UUID
    item: Item


@dataclass(frozen=True, slots=True)
class Ready:
    """A drawer or batch whose money waits for a deposit."""

    source: str
    source_id: uuid.UUID
    status: str
    worked_by: str
    taken_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class NewDeposit:
    prepared_on: date
    prepared_by: str
    idempotency_key: str
    cash_counts: dict[str, int]
    cash_total: Decimal
    checks_count: int
    checks_total: Decimal
    total: Decimal
    note: str | None


def _deposit(r: Any) -> Deposit:
    return Deposit(*r)


async def by_key(s: AsyncSession, who: str, key: str) -> Deposit | None:
    r = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM bank_deposits WHERE prepared_by = :w AND idempotency_key = :k"),
        {"w": who, "k": key})).first()
    return None if r is None else _deposit(r)


async def insert(s: AsyncSession, d: NewDeposit) -> Deposit:
    r = (await s.execute(text(
        f"INSERT INTO bank_deposits (id, status, prepared_on, prepared_by, idempotency_key, "
        f"cash_counts, cash_total, checks_count, checks_total, total, note) VALUES "
        f"(gen_random_uuid(), 'prepared', :on, :who, :key, CAST(:counts AS jsonb), :cash, :n, "
        f":checks, :total, :note) RETURNING {_COLUMNS}"),
        {"on": d.prepared_on, "who": d.prepared_by, "key": d.idempotency_key,
         "counts": json.dumps(d.cash_counts), "cash": d.cash_total, "n": d.checks_count,
         "checks": d.checks_total, "total": d.total, "note": d.note})).one()
    return _deposit(r)


async def claim_sources(s: AsyncSession, deposit_id: uuid.UUID, sources: list[Source]) -> int:
    """Put the drawers and batches in the deposit, in one statement in a fixed order (two
    preparations never wait on each other crosswise). One already in a deposit, or being put
    in one by a concurrent request that then commits, is skipped: returns how many were put."""
    if not sources:
        return 0
    ordered = sorted(sources, key=lambda x: (x.source, str(x.source_id)))
    res = await s.execute(text(
        "INSERT INTO bank_deposit_sources (source, source_id, deposit_id, worked_by, taken_on, "
        "cash, cash_counts, float_kept, kept_counts, checks_count, checks_total) "
        "SELECT x.source, x.source_id, :d, x.worked_by, x.taken_on, x.cash, x.cash_counts, "
        "x.float_kept, x.kept_counts, x.checks_count, x.checks_total "
        "FROM unnest(CAST(:src AS text[]), CAST(:ids AS uuid[]), CAST(:who AS text[]), "
        "CAST(:taken AS date[]), CAST(:cash AS numeric[]), "
        "CAST(CAST(:counts AS text[]) AS jsonb[]), CAST(:kept AS numeric[]), "
        "CAST(CAST(:kcounts AS text[]) AS jsonb[]), CAST(:n AS int[]), "
        "CAST(:chk AS numeric[])) WITH ORDINALITY AS x(source, source_id, worked_by, taken_on, "
        "cash, cash_counts, float_kept, kept_counts, checks_count, checks_total, ord) "
        "ORDER BY x.ord ON CONFLICT (source, source_id) DO NOTHING"),
        {"d": deposit_id, "src": [x.source for x in ordered],
         "ids": [x.source_id for x in ordered], "who": [x.worked_by for x in ordered],
         "taken": [x.taken_on for x in ordered], "cash": [x.cash for x in ordered],
         "counts": [json.dumps(x.cash_counts) for x in ordered],
         "kept": [x.float_kept for x in ordered],
         "kcounts": [json.dumps(x.kept_counts) for x in ordered],
         "n": [x.checks_count for x in ordered], "chk": [x.checks_total for x in ordered]})
    return int(res.rowcount)  # type: ignore[attr-defined]


async def insert_items(s: AsyncSession, deposit_id: uuid.UUID,
                       items: list[StoredItem]) -> int:
    if not items:
        return 0
    res = await s.execute(text(
        "INSERT INTO bank_deposit_items (payment_id, deposit_id, line, source, source_id, "
        "tender, item_number, bank, amount, account_number, receipt_number) "
        "SELECT x.payment_id, :d, x.line, x.source, x.source_id, x.tender, x.num, x.bank, "
        "x.amount, x.account, x.receipt FROM unnest(CAST(:pid AS uuid[]), CAST(:line AS int[]), "
        "CAST(:src AS text[]), CAST(:sid AS uuid[]), CAST(:tender AS text[]), "
        "CAST(:num AS text[]), CAST(:bank AS text[]), CAST(:amount AS numeric[]), "
        "CAST(:account AS text[]), CAST(:receipt AS bigint[])) AS x(payment_id, line, source, "
        "source_id, tender, num, bank, amount, account, receipt) "
        "ON CONFLICT (payment_id) DO NOTHING"),
        {"d": deposit_id, "pid": [uuid.UUID(i.item.payment_id) for i in items],
         "line": [i.line for i in items], "src": [i.source for i in items],
         "sid": [i.source_id for i in items], "tender": [i.item.tender for i in items],
         "num": [i.item.number for i in items], "bank": [i.item.bank for i in items],
         "amount": [i.item.amount for i in items],
         "account": [i.item.account_number for i in items],
         "receipt": [i.item.receipt_number for i in items]})
    return int(res.rowcount)  # type: ignore[attr-defined]


async def get(s: AsyncSession, deposit_id: uuid.UUID, lock: bool = False) -> Deposit | None:
    r = (await s.execute(text(
        f"SELECT {_COLUMNS} FROM bank_deposits WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": deposit_id})).first()
    return None if r is None else _deposit(r)


async def listed(s: AsyncSession, status: str | None, on: date | None,
                 limit: int) -> list[Deposit]:
    return [_deposit(r) for r in (await s.execute(text(
        f"SELECT {_COLUMNS} FROM bank_deposits WHERE (CAST(:st AS text) IS NULL OR status = :st) "
        f"AND (CAST(:on AS date) IS NULL OR prepared_on = :on) "
        f"ORDER BY prepared_at, number LIMIT :n"), {"st": status, "on": on, "n": limit})).all()]


async def sources_of(s: AsyncSession, deposit_id: uuid.UUID) -> list[Source]:
    return [Source(*r) for r in (await s.execute(text(
        "SELECT source, source_id, worked_by, taken_on, cash, cash_counts, float_kept, "
        "kept_counts, checks_count, checks_total FROM bank_deposit_sources "
        "WHERE deposit_id = :d ORDER BY source DESC, taken_on, source_id"),
        {"d": deposit_id})).all()]


async def items_of(s: AsyncSession, deposit_id: uuid.UUID) -> list[StoredItem]:
    return [StoredItem(r.line, r.source, r.source_id, Item(
        str(r.payment_id), r.tender, r.item_number, r.bank, r.amount, r.account_number,
        int(r.receipt_number))) for r in (await s.execute(text(
            "SELECT payment_id, line, source, source_id, tender, item_number, bank, amount, "
            "account_number, receipt_number FROM bank_deposit_items WHERE deposit_id = :d "
            "ORDER BY line"), {"d": deposit_id})).all()]


async def sign_off(s: AsyncSession, deposit_id: uuid.UUID, who: str,
                   note: str | None) -> Deposit:
    r = (await s.execute(text(
        f"UPDATE bank_deposits SET status = 'signed_off', signed_off_by = :w, "
        f"signed_off_at = now(), sign_off_note = :n WHERE id = :id AND status = 'prepared' "
        f"RETURNING {_COLUMNS}"), {"id": deposit_id, "w": who, "n": note})).one()
    return _deposit(r)


async def confirm(s: AsyncSession, deposit_id: uuid.UUID, who: str, reference: str,
                  deposited_on: date) -> Deposit:
    r = (await s.execute(text(
        f"UPDATE bank_deposits SET status = 'deposited', bank_reference = :ref, "
        f"deposited_on = :on, confirmed_by = :w, confirmed_at = now() "
        f"WHERE id = :id AND status = 'signed_off' RETURNING {_COLUMNS}"),
        {"id": deposit_id, "w": who, "ref": reference, "on": deposited_on})).one()
    return _deposit(r)


async def ready(s: AsyncSession, limit: int) -> list[Ready]:
    """Closed or signed-off drawers and posted batches in no deposit yet, oldest first, with
    what each would put in the bag before the float is left (read from the counter's and the
    batches' tables; written only by their features)."""
    return [Ready(*r) for r in (await s.execute(text(
        "SELECT * FROM ("
        " SELECT 'drawer' AS source, d.id, d.status, d.cashier, d.opened_on, "
        "  greatest(coalesce(d.counted_cash, 0) - d.float_amount, 0) + coalesce(("
        "   SELECT sum(p.amount) FROM payments p WHERE p.drawer_id = d.id "
        "   AND p.tender IN ('check', 'money_order')), 0) "
        " FROM drawers d WHERE d.status IN ('closed', 'signed_off') AND NOT EXISTS ("
        "  SELECT 1 FROM bank_deposit_sources x WHERE x.source = 'drawer' AND x.source_id = d.id)"
        " UNION ALL"
        " SELECT 'batch', b.id, b.status, b.keyed_by, b.received_on, b.control_total "
        " FROM batches b WHERE b.status = 'posted' AND NOT EXISTS ("
        "  SELECT 1 FROM bank_deposit_sources x WHERE x.source = 'batch' AND x.source_id = b.id)"
        ") r ORDER BY 5, 1, 2 LIMIT :n"), {"n": limit})).all()]


async def deposit_numbers(s: AsyncSession, source: str,
                          ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Which of these drawers (or batches) are in a deposit, and its number."""
    if not ids:
        return {}
    return {r.source_id: int(r.number) for r in (await s.execute(text(
        "SELECT x.source_id, d.number FROM bank_deposit_sources x "
        "JOIN bank_deposits d ON d.id = x.deposit_id "
        "WHERE x.source = :src AND x.source_id = ANY(CAST(:ids AS uuid[]))"),
        {"src": source, "ids": ids})).all()}
