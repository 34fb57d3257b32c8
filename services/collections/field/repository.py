"""All SQL of field orders (`field_orders`). The daily steps are set-based: door tags due are
inserted with one statement, disconnect orders with one statement that also publishes their
`collections.ServiceOrderRequested` (kernel.outbox_after)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.outbox import publish_batch
from kernel.outbox_after import publishing_after
from kernel.rows import all_as, first_as


@dataclass(frozen=True, slots=True)
class OrderRow:
    id: uuid.UUID
    account_id: uuid.UUID
    premise_id: uuid.UUID | None
    kind: str
    status: str
    scheduled_on: date
    disconnect_on: date | None
    step_id: uuid.UUID | None
    reconnects: uuid.UUID | None
    created_on: date
    requested_by: str
    approved_by: str | None
    released_on: date | None
    accounts_order_id: uuid.UUID | None
    completed_at: datetime | None
    completed_on: date | None
    completed_by: str | None
    cancelled_on: date | None
    cancel_reason: str | None
    after_hours: bool
    low_income: bool | None
    fee: Decimal | None
    notes: str | None


async def get(s: AsyncSession, order_id: uuid.UUID, lock: bool = False) -> OrderRow | None:
    return first_as(OrderRow, await s.execute(text(
        "SELECT * FROM field_orders WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": order_id}))


async def of_account(s: AsyncSession, account_id: uuid.UUID) -> list[OrderRow]:
    return all_as(OrderRow, await s.execute(text(
        "SELECT * FROM field_orders WHERE account_id = :a ORDER BY created_at, id"),
        {"a": account_id}))


async def listing(s: AsyncSession, kind: str | None, status: str | None,
                  limit: int) -> list[OrderRow]:
    return all_as(OrderRow, await s.execute(text(
        "SELECT * FROM field_orders WHERE (CAST(:k AS text) IS NULL OR kind = :k) "
        "AND (CAST(:s AS text) IS NULL OR status = :s) "
        "ORDER BY scheduled_on, created_at, id LIMIT :n"),
        {"k": kind, "s": status, "n": limit}))


async def open_of(s: AsyncSession, account_id: uuid.UUID, kinds: Sequence[str],
                  lock: bool = False) -> list[OrderRow]:
    return all_as(OrderRow, await s.execute(text(
        "SELECT * FROM field_orders WHERE account_id = :a AND kind = ANY(:k) "
        "AND status IN ('awaiting_approval', 'created', 'released') ORDER BY created_at, id"
        + (" FOR UPDATE" if lock else "")), {"a": account_id, "k": list(kinds)}))


async def last_disconnect_unrestored(s: AsyncSession,
                                     account_id: uuid.UUID) -> OrderRow | None:
    """The account's completed disconnect that no reconnect (open or completed) follows."""
    return first_as(OrderRow, await s.execute(text(
        "SELECT d.* FROM field_orders d WHERE d.account_id = :a AND d.kind = 'disconnect' "
        "AND d.status = 'completed' AND NOT EXISTS (SELECT 1 FROM field_orders r "
        "WHERE r.reconnects = d.id AND r.status <> 'cancelled') "
        "ORDER BY d.completed_at DESC LIMIT 1"), {"a": account_id}))


_PREMISE = ("(SELECT sa.premise_id FROM service_agreements sa WHERE sa.account_id = {a} "
            "ORDER BY (sa.status = 'active') DESC, sa.start_date DESC NULLS LAST LIMIT 1)")


async def premise_of(s: AsyncSession, account_id: uuid.UUID) -> uuid.UUID | None:
    """Where service is (the copy's active service agreement): where the field order goes."""
    v = (await s.execute(text("SELECT " + _PREMISE.format(a=":a")),
                         {"a": account_id})).scalar_one_or_none()
    return v if isinstance(v, uuid.UUID) else None


async def insert(s: AsyncSession, o: dict[str, object]) -> None:
    cols = sorted(o)
    await s.execute(text(
        f"INSERT INTO field_orders ({', '.join(cols)}) VALUES "
        f"({', '.join(':' + c for c in cols)})"), o)


async def update(s: AsyncSession, order_id: uuid.UUID, values: dict[str, object]) -> None:
    await s.execute(text(
        "UPDATE field_orders SET " + ", ".join(f"{c} = :{c}" for c in sorted(values))
        + " WHERE id = :id"), {**values, "id": order_id})


# ---- the daily steps --------------------------------------------------------------------------

_DOOR_TAGS = text(f"""
    INSERT INTO field_orders (id, account_id, premise_id, kind, status, scheduled_on,
                              disconnect_on, step_id, created_on, requested_by)
    SELECT gen_random_uuid(), ls.account_id, {_PREMISE.format(a="ls.account_id")}, 'door_tag',
           'awaiting_approval',
           greatest(ls.disconnect_on - CAST(:tag_days AS int), CAST(:today AS date)),
           ls.disconnect_on, ls.id, CAST(:today AS date), :who
    FROM ladder_steps ls
    WHERE ls.step = 'shutoff_notice' AND ls.status = 'taken' AND ls.disconnect_on IS NOT NULL
      AND ls.disconnect_on - CAST(:tag_days AS int) - CAST(:lead AS int) <= CAST(:today AS date)
      AND ls.disconnect_on >= CAST(:today AS date)
      AND NOT EXISTS (SELECT 1 FROM field_orders f WHERE f.step_id = ls.id
                      AND f.kind = 'door_tag' AND f.status <> 'cancelled')
      AND EXISTS (SELECT 1 FROM service_agreements sa WHERE sa.account_id = ls.account_id
                  AND sa.status = 'active')
    ON CONFLICT DO NOTHING
""")


async def insert_door_tags_due(s: AsyncSession, today: date, tag_days: int, lead: int,
                               who: str) -> int:
    """Door tags for every shut-off step whose tag day is within `lead` days: one statement.
    They wait for a supervisor's approval; nothing is announced yet."""
    res = await s.execute(_DOOR_TAGS, {"today": today, "tag_days": tag_days, "lead": lead,
                                       "who": who})
    return int(res.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Candidate:
    account_id: uuid.UUID
    step_id: uuid.UUID | None
    disconnect_on: date | None
    premise_id: uuid.UUID | None
    #: Nobody has been to the door: no door tag ever completed, the household never recorded as
    #: reached, and no arrangement (whose final notice, posted at the premise, would stand for
    #: the visit). SB 998's 48-hour visit rule refuses such an account whatever else holds, so
    #: the daily job need not gather its other facts (a district where tags wait for approval
    #: keeps thousands of these, re-checked every day).
    unvisited: bool = False


_CANDIDATES = text(f"""
    SELECT DISTINCT ON (c.account_id) c.account_id, c.step_id, c.disconnect_on,
           {_PREMISE.format(a="c.account_id")} AS premise_id,
           (NOT EXISTS (SELECT 1 FROM field_orders t WHERE t.account_id = c.account_id
                        AND t.kind = 'door_tag' AND t.status = 'completed')
            AND NOT EXISTS (SELECT 1 FROM protections p WHERE p.account_id = c.account_id
                            AND p.reached_on IS NOT NULL)
            AND NOT EXISTS (SELECT 1 FROM arrangements a WHERE a.account_id = c.account_id
                            AND a.status IN ('active', 'broken'))) AS unvisited
    FROM (
        SELECT ls.account_id, ls.id AS step_id, ls.disconnect_on, ls.taken_on AS since
        FROM ladder_steps ls
        WHERE ls.step = 'shutoff_notice' AND ls.status = 'taken'
          AND ls.disconnect_on <= CAST(:d AS date)
          AND NOT EXISTS (SELECT 1 FROM field_orders f WHERE f.account_id = ls.account_id
                          AND f.kind = 'disconnect'
                          AND (f.status IN ('created', 'released')
                               OR (f.status = 'completed' AND f.step_id = ls.id)))
        UNION ALL
        -- A broken arrangement: its final notice, posted at the premise, names the day (SB 998:
        -- at least 5 business days after it went out, which the guardrails hold to).
        SELECT a.account_id, NULL, n.action_on, a.broken_on
        FROM arrangements a
        JOIN notices n ON n.account_id = a.account_id AND n.kind = 'final_notice'
             AND n.reference = 'arrangement:' || a.id AND n.addressee = 'customer'
             AND n.status = 'released'
        WHERE a.status = 'broken' AND n.action_on <= CAST(:d AS date)
          AND NOT EXISTS (SELECT 1 FROM field_orders f WHERE f.account_id = a.account_id
                          AND f.kind = 'disconnect'
                          AND (f.status IN ('created', 'released')
                               OR (f.status = 'completed' AND f.created_on >= a.broken_on)))
    ) c
    -- only where the account still has service: a landlord whose tenants took the premise
    -- over (SB 998) keeps the arrears, but there is nothing of theirs left to disconnect
    WHERE EXISTS (SELECT 1 FROM service_agreements sa WHERE sa.account_id = c.account_id
                  AND sa.status = 'active')
    ORDER BY c.account_id, c.since DESC
""")


async def disconnect_candidates(s: AsyncSession, day: date) -> list[Candidate]:
    """Accounts whose shut-off notice, or the final notice of a broken arrangement, names `day`
    or earlier and that have no disconnect order open, nor one completed for that notice."""
    return all_as(Candidate, await s.execute(_CANDIDATES, {"d": day}))


_REQUESTED_SOURCE = """
    SELECT gen_random_uuid() AS event_id, 'collections.ServiceOrderRequested' AS type,
           1 AS version, 'account:' || ins.account_id AS key,
           jsonb_build_object(
               'kind', CASE ins.kind WHEN 'disconnect' THEN 'disconnect_nonpayment'
                       ELSE ins.kind END,
               'account_id', ins.account_id, 'premise_id', ins.premise_id,
               'scheduled_date', ins.scheduled_on, 'reason', CAST(:reason AS text),
               'reference', 'collections:' || ins.id, 'field_order_id', ins.id) AS payload,
           ins.id AS ord
    FROM ins
"""

_INSERT_RELEASED = publishing_after("""
    ins AS (
        INSERT INTO field_orders (id, account_id, premise_id, kind, status, scheduled_on,
                                  disconnect_on, step_id, created_on, requested_by, released_on)
        SELECT gen_random_uuid(), t.account_id, t.premise_id, 'disconnect', 'released',
               CAST(:today AS date), t.disconnect_on, t.step_id, CAST(:today AS date), :who,
               CAST(:today AS date)
        FROM unnest(CAST(:accounts AS uuid[]), CAST(:premises AS uuid[]),
                    CAST(:steps AS uuid[]), CAST(:dates AS date[]))
             AS t(account_id, premise_id, step_id, disconnect_on)
        ON CONFLICT DO NOTHING
        RETURNING id, account_id, premise_id, kind, scheduled_on
    )""", _REQUESTED_SOURCE)


async def insert_released_disconnects(s: AsyncSession, rows: Sequence[Candidate], today: date,
                                      who: str, reason: str) -> int:
    """Disconnect orders created and released today, each announced to accounts: one
    statement for all of them."""
    if not rows:
        return 0
    return await publish_batch(s, _INSERT_RELEASED, {
        "accounts": [str(r.account_id) for r in rows],
        "premises": [str(r.premise_id) for r in rows],
        "steps": [str(r.step_id) if r.step_id else None for r in rows],
        "dates": [r.disconnect_on for r in rows], "today": today, "who": who,
        "reason": reason}, actor=who)


_CANCEL_STALE = publishing_after("""
    gone AS (
        UPDATE field_orders f SET status = 'cancelled', cancelled_on = CAST(:today AS date),
               cancel_reason = 'The shut-off notice no longer stands (cured or held)'
        FROM ladder_steps ls
        WHERE f.step_id = ls.id AND ls.status <> 'taken' AND f.kind IN ('door_tag', 'disconnect')
          AND f.status IN ('awaiting_approval', 'created', 'released')
        RETURNING f.id, f.account_id, f.kind, f.released_on IS NOT NULL AS sent
    )""", """
    SELECT gen_random_uuid() AS event_id, 'collections.ServiceOrderCancelled' AS type,
           1 AS version, 'account:' || gone.account_id AS key,
           jsonb_build_object('reference', 'collections:' || gone.id,
                              'account_id', gone.account_id,
                              'kind', CASE gone.kind WHEN 'disconnect'
                                      THEN 'disconnect_nonpayment' ELSE gone.kind END,
                              'field_order_id', gone.id,
                              'reason', 'The shut-off notice no longer stands') AS payload,
           gone.id AS ord
    FROM gone WHERE gone.sent
""")


async def cancel_stale(s: AsyncSession, today: date, who: str) -> int:
    """Door tags and disconnects whose shut-off step was cured or held (a promise to pay) are
    cancelled, and accounts' orders of those already released, in one statement; returns the
    events published."""
    return await publish_batch(s, _CANCEL_STALE, {"today": today}, actor=who)


async def open_disconnects(s: AsyncSession, through: date) -> list[OrderRow]:
    """Disconnect orders open and scheduled by `through`."""
    return all_as(OrderRow, await s.execute(text(
        "SELECT * FROM field_orders WHERE kind = 'disconnect' "
        "AND status IN ('created', 'released') AND scheduled_on <= :d "
        "ORDER BY scheduled_on, id"), {"d": through}))


async def open_disconnects_changed(s: AsyncSession, today: date) -> list[OrderRow]:
    """Disconnect orders made before today whose account has a fact that may now stop them
    for good: an open appeal, an arrangement, protections recorded, or no shut-off step
    standing any more (cured or held). Only these are checked again (the rules decide); the
    others are unchanged since they were allowed."""
    return all_as(OrderRow, await s.execute(text(
        "SELECT f.* FROM field_orders f WHERE f.kind = 'disconnect' "
        "AND f.status IN ('created', 'released') AND f.created_on < :d AND ("
        " EXISTS (SELECT 1 FROM appeals ap WHERE ap.account_id = f.account_id "
        "         AND ap.status <> 'decided')"
        " OR EXISTS (SELECT 1 FROM arrangements ar WHERE ar.account_id = f.account_id "
        "            AND ar.status IN ('active', 'broken'))"
        " OR EXISTS (SELECT 1 FROM protections p WHERE p.account_id = f.account_id)"
        " OR NOT EXISTS (SELECT 1 FROM ladder_steps ls WHERE ls.account_id = f.account_id "
        "                AND ls.step = 'shutoff_notice' AND ls.status = 'taken')) "
        "ORDER BY f.scheduled_on, f.id"), {"d": today}))


# ---- the annual SB 998 report --------------------------------------------------------------------

async def completed_on(s: AsyncSession, kind: str, start: date, end: date) -> list[date]:
    return list((await s.execute(text(
        "SELECT completed_on FROM field_orders WHERE kind = :k AND status = 'completed' "
        "AND completed_on >= :s AND completed_on < :e ORDER BY completed_on"),
        {"k": kind, "s": start, "e": end})).scalars())


# ---- the copy, for the supervisor's lists -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Named:
    id: uuid.UUID
    number: str | None
    name: str | None


async def names(s: AsyncSession, account_ids: Sequence[uuid.UUID]) -> list[Named]:
    return all_as(Named, await s.execute(text(
        "SELECT a.id, a.number, c.name FROM accounts a LEFT JOIN customers c "
        "ON c.id = a.customer_id WHERE a.id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": [str(i) for i in account_ids]}))
