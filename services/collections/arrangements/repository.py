"""All SQL of arrangements: the arrangements and their instalments, and the sweep that applies
the copy's credits to them (set-based, the daily job's and a payment's)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.logs import request_id_var
from kernel.outbox_after import publishing_within
from kernel.rows import all_as, first_as
from services.collections.arrangements.domain import Entry, Instalment


@dataclass(frozen=True, slots=True)
class Arrangement:
    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    status: str
    total: Decimal
    made_on: date
    completed_on: date | None
    broken_on: date | None
    cancelled_on: date | None
    cancel_reason: str | None
    created_by: str
    changed_by: str | None
    created_at: datetime


_COLUMNS = ("id, account_id, kind, status, total, made_on, completed_on, broken_on, "
            "cancelled_on, cancel_reason, created_by, changed_by, created_at")


async def lock_account(s: AsyncSession, account_id: uuid.UUID) -> None:
    """Serialise arrangement changes of one account until the transaction ends."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 11))"),
                    {"k": f"arrangement:{account_id}"})


async def insert(s: AsyncSession, a: Arrangement, key: str, role: str,
                 instalments: Sequence[Instalment]) -> None:
    await s.execute(text(
        "INSERT INTO arrangements (id, account_id, kind, status, total, made_on, created_by, "
        "created_role, idempotency_key) VALUES (:id, :a, :k, 'active', :t, :m, :by, :role, "
        ":key)"), {"id": a.id, "a": a.account_id, "k": a.kind, "t": a.total, "m": a.made_on,
                   "by": a.created_by, "role": role, "key": key})
    await s.execute(text(
        "INSERT INTO arrangement_instalments (arrangement_id, seq, due_on, amount) "
        "SELECT :id, n, d, m FROM unnest(CAST(:d AS date[]), CAST(:m AS numeric[])) "
        "WITH ORDINALITY AS t(d, m, n)"),
        {"id": a.id, "d": [x.due_on for x in instalments],
         "m": [x.amount for x in instalments]})


async def get(s: AsyncSession, arrangement_id: uuid.UUID, lock: bool = False) -> \
        Arrangement | None:
    return first_as(Arrangement, await s.execute(text(
        f"SELECT {_COLUMNS} FROM arrangements WHERE id = :i"
        + (" FOR UPDATE" if lock else "")), {"i": arrangement_id}))


async def by_key(s: AsyncSession, created_by: str, key: str) -> Arrangement | None:
    return first_as(Arrangement, await s.execute(text(
        f"SELECT {_COLUMNS} FROM arrangements WHERE created_by = :w AND idempotency_key = :k"),
        {"w": created_by, "k": key}))


async def active_of(s: AsyncSession, account_id: uuid.UUID) -> Arrangement | None:
    return first_as(Arrangement, await s.execute(text(
        f"SELECT {_COLUMNS} FROM arrangements WHERE account_id = :a AND status = 'active'"),
        {"a": account_id}))


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[Arrangement]:
    return all_as(Arrangement, await s.execute(text(
        f"SELECT {_COLUMNS} FROM arrangements WHERE account_id = :a "
        "ORDER BY made_on DESC, created_at DESC"), {"a": account_id}))


async def latest_standing(s: AsyncSession, account_id: uuid.UUID) -> Arrangement | None:
    """The account's latest arrangement that was not cancelled."""
    return first_as(Arrangement, await s.execute(text(
        f"SELECT {_COLUMNS} FROM arrangements WHERE account_id = :a AND status <> 'cancelled' "
        "ORDER BY made_on DESC, created_at DESC LIMIT 1"), {"a": account_id}))


async def instalments(s: AsyncSession, arrangement_id: uuid.UUID) -> list[Instalment]:
    return all_as(Instalment, await s.execute(text(
        "SELECT due_on, amount FROM arrangement_instalments WHERE arrangement_id = :i "
        "ORDER BY seq"), {"i": arrangement_id}))


async def entries(s: AsyncSession, account_id: uuid.UUID) -> list[Entry]:
    return all_as(Entry, await s.execute(text(
        "SELECT amount, posted_on, due_date AS due_on FROM receivable WHERE account_id = :a"),
        {"a": account_id}))


async def cancel(s: AsyncSession, arrangement_id: uuid.UUID, today: date, reason: str,
                 who: str) -> None:
    await s.execute(text(
        "UPDATE arrangements SET status = 'cancelled', cancelled_on = :d, cancel_reason = :r, "
        "changed_by = :w WHERE id = :i"),
        {"i": arrangement_id, "d": today, "r": reason, "w": who})


# What an arrangement `a` has been paid by day :d (docs/collections.md): the credits posted since
# it was made, less the debits that came due since then. The sweep and the listing both use it.
_CREDITS_AND_DUE = """
        FROM a CROSS JOIN LATERAL (
            SELECT coalesce(-sum(r.amount) FILTER (WHERE r.amount < 0
                                                   AND r.posted_on >= a.made_on), 0) AS credits,
                   coalesce(sum(r.amount) FILTER (
                       WHERE r.amount > 0
                         AND coalesce(r.due_date, r.posted_on) <= CAST(:d AS date)
                         AND (coalesce(r.due_date, r.posted_on) >= a.made_on
                              OR r.posted_on >= a.made_on)), 0) AS due
            FROM receivable r
            WHERE r.account_id = a.account_id AND r.posted_on <= CAST(:d AS date)
        ) x
"""

# The daily sweep, set-based (`domain.paid_toward`, `allocate` and `decide` in SQL): each active
# arrangement (of one account, or all) gets what the credits posted since it was made have paid
# beyond the debits due since then; it is completed when that covers the total, broken when
# (`:may_break`) an instalment is still short `:broken` days after its due date. Changes are
# announced (`collections.ArrangementChanged`, with each instalment's paid part) in the same
# statement, and answered row by row for the letters.
_SWEEP_CTES = """
    a AS (
        SELECT id, account_id, kind, total, made_on FROM arrangements
        WHERE status = 'active' AND (CAST(:acct AS uuid) IS NULL OR account_id = :acct)
        FOR UPDATE
    ), pay AS (
        SELECT a.id, a.total,
               least(a.total, greatest(0.00, x.credits - x.due)) AS paid
""" + _CREDITS_AND_DUE + """    ), inst AS (
        SELECT i.arrangement_id, i.seq, i.due_on, i.amount,
               greatest(0.00, least(i.amount, pay.paid - (sum(i.amount) OVER w - i.amount)))
                   AS part
        FROM arrangement_instalments i JOIN pay ON pay.id = i.arrangement_id
        WINDOW w AS (PARTITION BY i.arrangement_id ORDER BY i.seq)
    ), agg AS (
        SELECT arrangement_id, min(due_on) FILTER (WHERE part < amount) AS short_due,
               jsonb_agg(jsonb_build_object('due_on', due_on, 'amount', amount::text,
                                            'paid', part::text) ORDER BY seq) AS instalments
        FROM inst GROUP BY arrangement_id
    ), verdict AS (
        SELECT pay.id, pay.paid, agg.instalments,
               CASE WHEN pay.paid >= pay.total THEN 'completed'
                    WHEN CAST(:may_break AS boolean)
                         AND agg.short_due + CAST(:broken AS integer) <= CAST(:d AS date)
                    THEN 'broken' ELSE 'active' END AS status
        FROM pay JOIN agg ON agg.arrangement_id = pay.id
    ), ch AS (
        UPDATE arrangements t SET status = v.status,
               completed_on = CASE WHEN v.status = 'completed' THEN CAST(:d AS date) END,
               broken_on = CASE WHEN v.status = 'broken' THEN CAST(:d AS date) END,
               changed_by = CAST(:who AS text)
        FROM verdict v WHERE t.id = v.id AND v.status <> 'active'
        RETURNING t.id, t.account_id, t.kind, t.total, t.status, v.paid, v.instalments
    )"""

_SWEEP_EVENTS = """
    SELECT gen_random_uuid() AS event_id, 'collections.ArrangementChanged' AS type,
           1 AS version, 'account:' || ch.account_id AS key,
           jsonb_build_object(
               'arrangement_id', ch.id, 'account_id', ch.account_id, 'status', ch.status,
               'kind', ch.kind, 'total', ch.total::text, 'instalments', ch.instalments,
               'changed_on', CAST(:d AS date)) AS payload,
           ch.account_id::text || ch.id::text AS ord
    FROM ch"""

SWEEP = publishing_within(
    _SWEEP_CTES, _SWEEP_EVENTS,
    "SELECT ch.id, ch.account_id, ch.status, ch.total, ch.paid FROM ch "
    "ORDER BY ch.account_id")


@dataclass(frozen=True, slots=True)
class Changed:
    id: uuid.UUID
    account_id: uuid.UUID
    status: str
    total: Decimal
    paid: Decimal


async def sweep(s: AsyncSession, today: date, *, broken_after_days: int, may_break: bool,
                who: str, account_id: uuid.UUID | None = None) -> list[Changed]:
    return all_as(Changed, await s.execute(SWEEP, {
        "d": today, "acct": account_id, "broken": broken_after_days, "may_break": may_break,
        "who": who, "request_id": request_id_var.get(), "actor": who}))


@dataclass(frozen=True, slots=True)
class Listed:
    id: uuid.UUID
    account_id: uuid.UUID
    number: str | None
    name: str | None
    kind: str
    status: str
    total: Decimal
    made_on: date
    paid: Decimal
    short_due: date | None
    short_amount: Decimal
    total_rows: int


# The arrangements of one status with what the credits have paid of each (the sweep's rule,
# read-only) and the oldest instalment still short: the staff's list of arrangements to watch.
LISTING = text("""
    WITH a AS (
        SELECT id, account_id, kind, status, total, made_on FROM arrangements
        WHERE status = :status
    ), pay AS (
        SELECT a.id, CASE WHEN a.status = 'completed' THEN a.total
                          ELSE least(a.total, greatest(0.00, x.credits - x.due)) END AS paid
""" + _CREDITS_AND_DUE + """    ), inst AS (
        SELECT i.arrangement_id, i.due_on, i.amount,
               greatest(0.00, least(i.amount, pay.paid - (sum(i.amount) OVER w - i.amount)))
                   AS part
        FROM arrangement_instalments i JOIN pay ON pay.id = i.arrangement_id
        WINDOW w AS (PARTITION BY i.arrangement_id ORDER BY i.seq)
    ), short AS (
        SELECT arrangement_id,
               min(due_on) FILTER (WHERE part < amount AND due_on < CAST(:d AS date))
                   AS short_due,
               coalesce(sum(amount - part) FILTER (WHERE due_on < CAST(:d AS date)), 0)
                   AS short_amount
        FROM inst GROUP BY arrangement_id
    )
    SELECT a.id, a.account_id, ac.number, c.name, a.kind, a.status, a.total, a.made_on,
           pay.paid, short.short_due, short.short_amount, count(*) OVER () AS total_rows
    FROM a JOIN pay USING (id) JOIN short ON short.arrangement_id = a.id
    LEFT JOIN accounts ac ON ac.id = a.account_id
    LEFT JOIN customers c ON c.id = ac.customer_id
    WHERE NOT CAST(:behind AS boolean) OR short.short_due IS NOT NULL
    ORDER BY short.short_due NULLS LAST, a.made_on, a.id
    LIMIT :limit OFFSET :offset
""")


async def listing(s: AsyncSession, today: date, *, status: str, behind: bool, limit: int,
                  offset: int) -> list[Listed]:
    return all_as(Listed, await s.execute(LISTING, {
        "d": today, "status": status, "behind": behind, "limit": limit, "offset": offset}))
