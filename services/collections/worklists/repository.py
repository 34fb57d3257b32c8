"""All SQL of worklists: the call list (set-based over the copy's receivable), call outcomes,
promises to pay and their sweep, and each premise's billing cycle."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from kernel.logs import request_id_var
from kernel.outbox_after import publishing_within
from kernel.rows import all_as, first_as


async def upsert_cycle(s: AsyncSession, premise_id: str, cycle: str | None) -> None:
    await s.execute(text(
        "INSERT INTO premise_cycles (premise_id, cycle) VALUES (:p, :c) "
        "ON CONFLICT (premise_id) DO UPDATE SET cycle = excluded.cycle"),
        {"p": premise_id, "c": cycle})


async def known(s: AsyncSession, account_id: uuid.UUID) -> bool:
    return (await s.execute(text(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = :a) "
        "OR EXISTS (SELECT 1 FROM receivable WHERE account_id = :a)"),
        {"a": account_id})).scalar_one() is True


@dataclass(frozen=True, slots=True)
class CallListRow:
    account_id: uuid.UUID
    number: str | None
    name: str | None
    language: str | None
    phones: list[str] | None
    cycle: str | None
    past_due: Decimal
    balance: Decimal
    oldest_due: date
    days_past_due: int
    last_outcome: str | None
    last_called_at: datetime | None
    last_called_by: str | None
    promise_id: uuid.UUID | None
    promised_on: date | None
    promise_amount: Decimal | None
    arrangement_id: uuid.UUID | None
    total: int


# Past due per account as aging has it (credits pay the oldest debits first, so what is past
# due is what the credits leave open of the debits due before the day: aging/domain.py), for
# every account at once; then the account's phones, cycle, last call, open promise and active
# arrangement, filtered and paged in the same statement.
CALL_LIST = text("""
    WITH agg AS (
        SELECT account_id, coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credit,
               sum(amount) AS balance,
               coalesce(sum(amount) FILTER (WHERE amount > 0
                                            AND coalesce(due_date, posted_on) < :d), 0)
                   AS past_debits
        FROM receivable WHERE posted_on <= :d GROUP BY account_id
    ), past AS (
        SELECT account_id, past_debits - credit AS past_due, balance, credit
        FROM agg WHERE past_debits > credit
    ), pd AS (
        SELECT r.account_id, coalesce(r.due_date, r.posted_on) AS due, p.credit,
               sum(r.amount) OVER (PARTITION BY r.account_id
                                   ORDER BY coalesce(r.due_date, r.posted_on), r.amount
                                   ROWS UNBOUNDED PRECEDING) AS cum
        FROM receivable r JOIN past p USING (account_id)
        WHERE r.posted_on <= :d AND r.amount > 0 AND coalesce(r.due_date, r.posted_on) < :d
    ), oldest AS (
        SELECT account_id, min(due) AS oldest_due FROM pd WHERE cum > credit
        GROUP BY account_id
    ), listed AS (
        SELECT past.account_id, a.number, c.name,
               coalesce(a.language, c.language) AS language,
               (SELECT array_agg(x) FROM jsonb_array_elements_text(
                    CASE WHEN jsonb_typeof(c.phones) = 'array' THEN c.phones
                         ELSE '[]'::jsonb END) AS x) AS phones,
               pc.cycle, past.past_due, past.balance, o.oldest_due,
               CAST(:d AS date) - o.oldest_due AS days_past_due,
               lc.outcome AS last_outcome, lc.called_at AS last_called_at,
               lc.called_by AS last_called_by,
               pr.id AS promise_id, pr.promised_on, pr.amount AS promise_amount,
               ar.id AS arrangement_id
        FROM past JOIN oldest o USING (account_id)
        LEFT JOIN accounts a ON a.id = past.account_id
        LEFT JOIN customers c ON c.id = a.customer_id
        LEFT JOIN LATERAL (
            SELECT x.cycle FROM (
                SELECT (SELECT pc.cycle FROM premise_cycles pc
                        WHERE pc.premise_id = sa.premise_id) AS cycle,
                       sa.status, sa.start_date
                FROM service_agreements sa WHERE sa.account_id = past.account_id
            ) x
            ORDER BY (x.cycle IS NULL), (x.status = 'active') DESC,
                     x.start_date DESC NULLS LAST
            LIMIT 1
        ) pc ON true
        LEFT JOIN LATERAL (
            SELECT outcome, called_at, called_by FROM call_outcomes co
            WHERE co.account_id = past.account_id ORDER BY called_at DESC LIMIT 1
        ) lc ON true
        LEFT JOIN promises pr ON pr.account_id = past.account_id AND pr.status = 'open'
        LEFT JOIN arrangements ar ON ar.account_id = past.account_id AND ar.status = 'active'
    )
    SELECT *, count(*) OVER () AS total FROM listed
    WHERE (CAST(:min_days AS integer) IS NULL OR days_past_due >= :min_days)
      AND (CAST(:max_days AS integer) IS NULL OR days_past_due <= :max_days)
      AND (CAST(:min_amount AS numeric) IS NULL OR past_due >= :min_amount)
      AND (CAST(:max_amount AS numeric) IS NULL OR past_due <= :max_amount)
      AND (CAST(:cycle AS text) IS NULL OR cycle = :cycle)
      AND (CAST(:arranged AS boolean) OR arrangement_id IS NULL)
    ORDER BY days_past_due DESC, past_due DESC, account_id
    LIMIT :limit OFFSET :offset
""")


async def call_list(s: AsyncSession, today: date, *, min_days: int | None,
                    max_days: int | None, min_amount: Decimal | None,
                    max_amount: Decimal | None, cycle: str | None, arranged: bool, limit: int,
                    offset: int) -> list[CallListRow]:
    return all_as(CallListRow, await s.execute(CALL_LIST, {
        "d": today, "min_days": min_days, "max_days": max_days, "min_amount": min_amount,
        "max_amount": max_amount, "cycle": cycle, "arranged": arranged, "limit": limit,
        "offset": offset}))


def call_list_export(today: date, *, min_days: int | None, max_days: int | None,
                     min_amount: Decimal | None, max_amount: Decimal | None, cycle: str | None,
                     arranged: bool) -> Export:
    """The whole call list (`LIMIT NULL`), for a CSV download."""
    return Export(CALL_LIST, {
        "d": today, "min_days": min_days, "max_days": max_days, "min_amount": min_amount,
        "max_amount": max_amount, "cycle": cycle, "arranged": arranged, "limit": None,
        "offset": 0}, f"call-list-{today.isoformat()}.csv")


@dataclass(frozen=True, slots=True)
class Call:
    id: uuid.UUID
    account_id: uuid.UUID
    outcome: str
    note: str
    phone: str | None
    promise_id: uuid.UUID | None
    called_on: date
    called_by: str
    called_role: str
    called_at: datetime


_CALL = ("id, account_id, outcome, note, phone, promise_id, called_on, called_by, "
         "called_role, called_at")


async def call_by_key(s: AsyncSession, who: str, key: str) -> Call | None:
    return first_as(Call, await s.execute(text(
        f"SELECT {_CALL} FROM call_outcomes WHERE called_by = :w AND idempotency_key = :k"),
        {"w": who, "k": key}))


async def insert_call(s: AsyncSession, c: Call, key: str) -> None:
    await s.execute(text(
        f"INSERT INTO call_outcomes ({_CALL}, idempotency_key) VALUES (:id, :account_id, "
        ":outcome, :note, :phone, :promise_id, :called_on, :called_by, :called_role, "
        ":called_at, :key)"),
        {"id": c.id, "account_id": c.account_id, "outcome": c.outcome, "note": c.note,
         "phone": c.phone, "promise_id": c.promise_id, "called_on": c.called_on,
         "called_by": c.called_by, "called_role": c.called_role, "called_at": c.called_at,
         "key": key})


async def calls_of(s: AsyncSession, account_id: uuid.UUID) -> list[Call]:
    return all_as(Call, await s.execute(text(
        f"SELECT {_CALL} FROM call_outcomes WHERE account_id = :a ORDER BY called_at DESC"),
        {"a": account_id}))


@dataclass(frozen=True, slots=True)
class Promise:
    id: uuid.UUID
    account_id: uuid.UUID
    promised_on: date
    amount: Decimal
    status: str
    made_on: date
    closed_on: date | None
    cancel_reason: str | None
    created_by: str
    changed_by: str | None


_PROMISE = ("id, account_id, promised_on, amount, status, made_on, closed_on, cancel_reason, "
            "created_by, changed_by")


async def insert_promise(s: AsyncSession, p: Promise) -> None:
    await s.execute(text(
        "INSERT INTO promises (id, account_id, promised_on, amount, status, made_on, "
        "created_by) VALUES (:id, :a, :on, :m, 'open', :made, :by)"),
        {"id": p.id, "a": p.account_id, "on": p.promised_on, "m": p.amount,
         "made": p.made_on, "by": p.created_by})


async def open_promise(s: AsyncSession, account_id: uuid.UUID) -> Promise | None:
    return first_as(Promise, await s.execute(text(
        f"SELECT {_PROMISE} FROM promises WHERE account_id = :a AND status = 'open' "
        "FOR UPDATE"), {"a": account_id}))


async def promise(s: AsyncSession, promise_id: uuid.UUID, lock: bool = False) -> Promise | None:
    return first_as(Promise, await s.execute(text(
        f"SELECT {_PROMISE} FROM promises WHERE id = :i" + (" FOR UPDATE" if lock else "")),
        {"i": promise_id}))


async def promises_of(s: AsyncSession, account_id: uuid.UUID) -> list[Promise]:
    return all_as(Promise, await s.execute(text(
        f"SELECT {_PROMISE} FROM promises WHERE account_id = :a "
        "ORDER BY made_on DESC, created_at DESC"), {"a": account_id}))


async def cancel_promise(s: AsyncSession, promise_id: uuid.UUID, today: date, reason: str,
                         who: str) -> None:
    await s.execute(text(
        "UPDATE promises SET status = 'cancelled', closed_on = :d, cancel_reason = :r, "
        "changed_by = :w WHERE id = :i"), {"i": promise_id, "d": today, "r": reason, "w": who})


# Promises kept or broken, set-based (`domain.covered` and `promise_status` in SQL), announced
# as `collections.PromiseChanged` in the same statement.
SWEEP = publishing_within(
    """
    p AS (
        SELECT id, account_id, promised_on, amount, made_on FROM promises
        WHERE status = 'open' AND (CAST(:acct AS uuid) IS NULL OR account_id = :acct)
        FOR UPDATE
    ), cov AS (
        SELECT p.id, coalesce(-sum(l.amount) FILTER (
                   WHERE l.amount < 0 OR l.kind = 'payment_reversal'), 0) AS paid
        FROM p LEFT JOIN ledger_entries l ON l.account_id = p.account_id
             AND l.posted_on BETWEEN p.made_on AND least(p.promised_on, CAST(:d AS date))
        GROUP BY p.id
    ), verdict AS (
        SELECT p.id, CASE WHEN cov.paid >= p.amount THEN 'kept'
                          WHEN CAST(:may_break AS boolean) AND CAST(:d AS date) > p.promised_on
                          THEN 'broken' ELSE 'open' END AS status
        FROM p JOIN cov USING (id)
    ), ch AS (
        UPDATE promises t SET status = v.status, closed_on = CAST(:d AS date),
               changed_by = CAST(:who AS text)
        FROM verdict v WHERE t.id = v.id AND v.status <> 'open'
        RETURNING t.id, t.account_id, t.status, t.promised_on, t.amount, t.made_on
    )""",
    """
    SELECT gen_random_uuid() AS event_id, 'collections.PromiseChanged' AS type, 1 AS version,
           'account:' || ch.account_id AS key,
           jsonb_build_object('promise_id', ch.id, 'account_id', ch.account_id,
                              'status', ch.status, 'promised_on', ch.promised_on,
                              'amount', ch.amount::text, 'made_on', ch.made_on,
                              'changed_on', CAST(:d AS date)) AS payload,
           ch.account_id::text || ch.id::text AS ord
    FROM ch""",
    "SELECT ch.status, count(*) AS n FROM ch GROUP BY ch.status")


async def sweep_promises(s: AsyncSession, today: date, *, may_break: bool, who: str,
                         account_id: uuid.UUID | None = None) -> dict[str, int]:
    rows = (await s.execute(SWEEP, {
        "d": today, "acct": account_id, "may_break": may_break, "who": who,
        "request_id": request_id_var.get(), "actor": who})).all()
    return {str(r.status): int(r.n) for r in rows}
