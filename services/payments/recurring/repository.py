"""All SQL of scheduled and recurring payments: schedules and one charge row per (schedule,
date). Reads the saved method, account number and balance a due schedule needs in the same
query (saved_methods, accounts, balances: read only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


@dataclass(frozen=True, slots=True)
class Schedule:
    id: uuid.UUID
    account_id: uuid.UUID
    method_id: uuid.UUID
    kind: str
    day_of_month: int | None
    amount_rule: str
    amount: Decimal | None
    start_on: date
    end_on: date | None
    status: str
    stop_reason: str | None
    created_by: str
    created_at: datetime
    ended_at: datetime | None
    method_display: str


@dataclass(frozen=True, slots=True)
class ChargeRow:
    schedule_id: uuid.UUID
    charge_on: date
    outcome: str
    reason: str | None
    amount: Decimal | None
    charge_ref: str | None
    run_at: datetime


@dataclass(frozen=True, slots=True)
class Due:
    """An active schedule the run looks at, with what charging it needs."""

    schedule: Schedule
    account_number: str | None
    balance: Decimal | None
    method_status: str
    method_processor: str
    method_token: str
    method_kind: str
    method_customer: str | None


_COLS = ("s.id, s.account_id, s.method_id, s.kind, s.day_of_month, s.amount_rule, s.amount, "
         "s.start_on, s.end_on, s.status, s.stop_reason, s.created_by, s.created_at, s.ended_at, "
         "m.display")
_FROM = "recurring_schedules s JOIN saved_methods m ON m.id = s.method_id"


def _schedule(r: tuple[object, ...]) -> Schedule:
    return Schedule(*r)  # type: ignore[arg-type]


async def by_key(s: AsyncSession, created_by: str, key: str) -> Schedule | None:
    r = (await s.execute(text(
        f"SELECT {_COLS} FROM {_FROM} WHERE s.created_by = :w AND s.idempotency_key = :k"),
        {"w": created_by, "k": key})).first()
    return None if r is None else _schedule(tuple(r))


async def get(s: AsyncSession, account_id: uuid.UUID, schedule_id: uuid.UUID) -> Schedule | None:
    r = (await s.execute(text(
        f"SELECT {_COLS} FROM {_FROM} WHERE s.id = :i AND s.account_id = :a"),
        {"i": schedule_id, "a": account_id})).first()
    return None if r is None else _schedule(tuple(r))


async def get_any(s: AsyncSession, schedule_id: uuid.UUID) -> Schedule | None:
    r = (await s.execute(text(f"SELECT {_COLS} FROM {_FROM} WHERE s.id = :i"),
                         {"i": schedule_id})).first()
    return None if r is None else _schedule(tuple(r))


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[Schedule]:
    return [_schedule(tuple(r)) for r in (await s.execute(text(
        f"SELECT {_COLS} FROM {_FROM} WHERE s.account_id = :a "
        f"ORDER BY s.status = 'active' DESC, s.created_at DESC LIMIT 100"),
        {"a": account_id})).all()]


async def charges_of(s: AsyncSession, ids: list[uuid.UUID]) -> list[ChargeRow]:
    if not ids:
        return []
    return [ChargeRow(*r) for r in (await s.execute(text(
        "SELECT schedule_id, charge_on, outcome, reason, amount, charge_ref, run_at "
        "FROM recurring_charges WHERE schedule_id = ANY(CAST(:ids AS uuid[])) "
        "ORDER BY charge_on DESC"), {"ids": ids})).all()]


async def method_of_account(s: AsyncSession, account_id: uuid.UUID,
                            method_id: uuid.UUID) -> str | None:
    """The status of the account's saved method (None: not this account's)."""
    r = (await s.execute(text(
        "SELECT status FROM saved_methods WHERE id = :i AND account_id = :a"),
        {"i": method_id, "a": account_id})).first()
    return None if r is None else str(r[0])


@dataclass(frozen=True, slots=True)
class NewSchedule:
    id: uuid.UUID
    account_id: uuid.UUID
    method_id: uuid.UUID
    kind: str
    day_of_month: int | None
    amount_rule: str
    amount: Decimal | None
    start_on: date
    end_on: date | None
    created_by: str
    idempotency_key: str


async def insert(s: AsyncSession, n: NewSchedule) -> None:
    await s.execute(text(
        "INSERT INTO recurring_schedules (id, account_id, method_id, kind, day_of_month, "
        "amount_rule, amount, start_on, end_on, status, created_by, idempotency_key) VALUES "
        "(:id, :account_id, :method_id, :kind, :day_of_month, :amount_rule, :amount, "
        ":start_on, :end_on, 'active', :created_by, :idempotency_key)"),
        {f: getattr(n, f) for f in NewSchedule.__dataclass_fields__})


async def end(s: AsyncSession, schedule_id: uuid.UUID, status: str, reason: str,
              who: str) -> bool:
    """Ends an active schedule; False when it was not active (ended already, by anyone)."""
    r = await s.execute(text(
        "UPDATE recurring_schedules SET status = :st, stop_reason = :r, ended_at = now(), "
        "ended_by = :w WHERE id = :i AND status = 'active' RETURNING id"),
        {"i": schedule_id, "st": status, "r": reason, "w": who})
    return r.first() is not None


async def active_for_method(s: AsyncSession, method_id: uuid.UUID) -> list[uuid.UUID]:
    return [r[0] for r in (await s.execute(text(
        "SELECT id FROM recurring_schedules WHERE method_id = :m AND status = 'active' "
        "ORDER BY created_at"), {"m": method_id})).all()]


async def due_candidates(s: AsyncSession, today: date) -> list[Due]:
    """Active schedules started by `today`, with their method, account number and balance."""
    rows = (await s.execute(text(
        f"SELECT {_COLS}, a.number, b.balance, m.status, m.processor, m.token, m.kind, "
        f"m.processor_customer "
        f"FROM {_FROM} LEFT JOIN accounts a ON a.id = s.account_id "
        f"LEFT JOIN balances b ON b.account_id = s.account_id "
        f"WHERE s.status = 'active' AND s.start_on <= :t ORDER BY s.start_on, s.id"),
        {"t": today})).all()
    return [Due(_schedule(tuple(r[:15])), r[15], r[16], r[17], r[18], r[19], r[20], r[21])
            for r in rows]


async def claim_many(s: AsyncSession, occurrences: list[tuple[uuid.UUID, date, str]]
                     ) -> set[tuple[uuid.UUID, date]]:
    """Claims the occurrences for this run, in one statement and in key order (two runs claim
    in the same order, so they wait for each other rather than deadlock). An occurrence already
    claimed or settled, by an earlier run or a concurrent one (whose claim this waits on until
    it commits), is not returned."""
    if not occurrences:
        return set()
    rows = (await s.execute(text(
        "INSERT INTO recurring_charges (schedule_id, charge_on, outcome, processor_key) "
        "SELECT t.i, t.d, 'claimed', t.k FROM unnest(CAST(:ids AS uuid[]), "
        "CAST(:dates AS date[]), CAST(:keys AS text[])) AS t(i, d, k) ORDER BY t.i, t.d "
        "ON CONFLICT DO NOTHING RETURNING schedule_id, charge_on"),
        {"ids": [o[0] for o in occurrences], "dates": [o[1] for o in occurrences],
         "keys": [o[2] for o in occurrences]})).all()
    return {(r[0], r[1]) for r in rows}


@dataclass(frozen=True, slots=True)
class Settled:
    schedule_id: uuid.UUID
    charge_on: date
    outcome: str
    reason: str | None
    amount: Decimal | None
    charge_ref: str | None


async def settle_many(s: AsyncSession, settled: list[Settled]) -> None:
    if not settled:
        return
    await s.execute(text(
        "UPDATE recurring_charges c SET outcome = t.o, reason = t.r, amount = t.m, "
        "charge_ref = t.c, run_at = now() FROM unnest(CAST(:ids AS uuid[]), "
        "CAST(:dates AS date[]), CAST(:outcomes AS text[]), CAST(:reasons AS text[]), "
        "CAST(:amounts AS numeric[]), CAST(:refs AS text[])) AS t(i, d, o, r, m, c) "
        "WHERE c.schedule_id = t.i AND c.charge_on = t.d"),
        {"ids": [x.schedule_id for x in settled], "dates": [x.charge_on for x in settled],
         "outcomes": [x.outcome for x in settled], "reasons": [x.reason for x in settled],
         "amounts": [x.amount for x in settled], "refs": [x.charge_ref for x in settled]})


async def release(s: AsyncSession, schedule_id: uuid.UUID, on: date) -> None:
    """Gives a claim back (the processor did not answer): the next run tries again."""
    await s.execute(text(
        "DELETE FROM recurring_charges WHERE schedule_id = :i AND charge_on = :d "
        "AND outcome = 'claimed'"), {"i": schedule_id, "d": on})
