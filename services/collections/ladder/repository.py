"""All SQL of the ladder: set-based over the whole district, one statement per step of the
daily run (what is past due; cures; restarts; holds; the next step of every bill with its
events), never a loop per account.

Arrangements and promises are their features' tables, read here and never written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import TextClause, text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.logs import request_id_var
from kernel.outbox import publish_batch
from kernel.outbox_after import publishing_after, publishing_within
from kernel.rows import all_as

# What is past due, kept in `ladder_open` between runs: every open debit due before the day of
# every past-due account (bills by id; a cancelled bill's and other debits without one) with
# what the account's credits leave open of it, oldest due first (the aging rule of
# aging/domain.py). One difference: an entry that undoes a credit (`UNDO`: a returned payment,
# a misapplied payment moved away, a refund of a credit) lowers the credits instead of being a
# debit of its own, so the bill the payment had paid is open again and its ladder takes up where
# it was. `past_due` is the account's total open past due, `prior` what is open of its debits
# older than this one.
#
# An account's rows change only when its entries change (the ladder's handlers mark it in
# `ladder_dirty`) or one of its debits falls due, so a run recomputes those accounts alone
# (`OPEN_CHANGED`, index lookups per account); the first run, or one on an earlier day than
# the last, recomputes the district (`OPEN_ALL`, one pass over the receivable).
UNDO = "('payment_reversal', 'transfer_out', 'refund')"
_CREDIT = f"amount < 0 OR kind IN {UNDO}"
_DEBIT_DUE = f"amount > 0 AND coalesce(due_date, posted_on) < :d AND kind NOT IN {UNDO}"
_DEBITS = f"""
        SELECT CASE WHEN b.status = 'open' THEN b.id END AS bill_id, b.total AS amount,
               b.due_date AS due
        FROM bills b WHERE b.account_id = {{a}}
          AND b.total > 0 AND b.bill_date <= :d AND b.due_date < :d
        UNION ALL  -- the receivable's other debits: a budget deferral due with its bill
        SELECT NULL, b.budget_deferral, b.due_date
        FROM bills b WHERE b.account_id = {{a}}
          AND b.total IS NOT NULL AND b.budget_deferral > 0 AND b.bill_date <= :d
          AND b.due_date < :d
        UNION ALL  -- and every ledger debit, due when posted
        SELECT NULL, r.amount, r.posted_on
        FROM ledger_entries r WHERE r.account_id = {{a}}
          AND r.kind NOT IN {UNDO} AND r.amount > 0 AND r.posted_on < :d"""
_ROWS = """
    , cum AS (
        SELECT d.*, sum(d.amount) OVER (PARTITION BY d.account_id ORDER BY d.due, d.amount,
                                        d.bill_id ROWS UNBOUNDED PRECEDING) AS cum
        FROM debits d
    ), open AS (
        SELECT c.account_id, c.bill_id, c.due, c.amount,
               greatest(0, least(c.amount, c.cum - a.credit)) AS open_amount
        FROM cum c JOIN acct a USING (account_id)
    )
    INSERT INTO ladder_open (account_id, bill_id, due_date, open_amount, past_due, prior)
    SELECT account_id, bill_id, due AS due_date, open_amount,
           sum(open_amount) OVER (PARTITION BY account_id) AS past_due,
           coalesce(sum(open_amount) OVER (PARTITION BY account_id ORDER BY due, amount,
                    bill_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS prior
    FROM open WHERE open_amount > 0
"""
OPEN_ALL = text(f"""
    WITH gone AS (DELETE FROM ladder_open), seen AS (DELETE FROM ladder_dirty WHERE until <= :d),
    acct AS (
        SELECT account_id, coalesce(-sum(amount) FILTER (WHERE {_CREDIT}), 0) AS credit
        FROM receivable WHERE posted_on <= :d
        GROUP BY account_id
        HAVING coalesce(sum(amount) FILTER (WHERE {_DEBIT_DUE}), 0)
               > coalesce(-sum(amount) FILTER (WHERE {_CREDIT}), 0)
    ), debits AS (
        SELECT a.account_id, x.* FROM acct a JOIN LATERAL ({_DEBITS.format(a="a.account_id")}
        ) x ON true
    )""" + _ROWS)
OPEN_CHANGED = text(f"""
    WITH seen AS (DELETE FROM ladder_dirty WHERE until <= :d RETURNING account_id),
    cands AS (
        SELECT account_id FROM seen
        UNION SELECT account_id FROM ladder_dirty  -- a change that counts from a later day
        UNION SELECT account_id FROM bills WHERE due_date >= :since AND due_date < :d
    ), gone AS (
        DELETE FROM ladder_open o USING cands c WHERE o.account_id = c.account_id
    ), e AS MATERIALIZED (  -- the receivable view's rows of these accounts: bills read once
        SELECT c.account_id, x.* FROM cands c CROSS JOIN LATERAL (
            SELECT v.kind, v.amount, v.posted_on, coalesce(v.due, v.posted_on) AS due,
                   v.bill_id
            FROM bills b CROSS JOIN LATERAL (VALUES
                ('bill', b.total, b.bill_date, b.due_date,
                 CASE WHEN b.status = 'open' THEN b.id END),
                ('budget_deferral', b.budget_deferral, b.bill_date, b.due_date, NULL),
                ('bill_cancel', CASE WHEN b.status = 'cancelled' THEN -b.total END,
                 coalesce(b.cancelled_on, b.bill_date), NULL, NULL),
                ('budget_deferral', CASE WHEN b.status = 'cancelled'
                                         THEN -b.budget_deferral END,
                 coalesce(b.cancelled_on, b.bill_date), NULL, NULL)
            ) AS v(kind, amount, posted_on, due, bill_id)
            WHERE b.account_id = c.account_id AND b.total IS NOT NULL AND v.amount IS NOT NULL
            UNION ALL
            SELECT r.kind, r.amount, r.posted_on, r.posted_on, NULL
            FROM ledger_entries r WHERE r.account_id = c.account_id
        ) x WHERE x.posted_on <= :d
    ), acct AS (
        SELECT account_id, coalesce(-sum(amount) FILTER (WHERE {_CREDIT}), 0) AS credit
        FROM e GROUP BY account_id
        HAVING coalesce(sum(amount) FILTER (
                   WHERE amount > 0 AND due < :d AND kind NOT IN {UNDO}), 0)
               > coalesce(-sum(amount) FILTER (WHERE {_CREDIT}), 0)
    ), debits AS (
        SELECT e.account_id, e.bill_id, e.amount, e.due FROM e JOIN acct USING (account_id)
        WHERE e.amount > 0 AND e.due < :d AND e.kind NOT IN {UNDO}
    )""" + _ROWS)
COMPUTED_ON = text("SELECT computed_on FROM ladder_computed")
COMPUTED = text("INSERT INTO ladder_computed (computed_on) VALUES (:d) ON CONFLICT (one) DO "
                "UPDATE SET computed_on = excluded.computed_on")
#: One ladder at a time (transaction-scoped; the daily job holds its own lock around it too).
LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('collections.ladder', 0))")
#: The ladder's handlers: an account whose entries changed is recomputed at the next run on or
#: after the day the change counts from.
MARK = text("INSERT INTO ladder_dirty (account_id, until) VALUES (:a, :u) ON CONFLICT "
            "(account_id) DO UPDATE SET until = greatest(ladder_dirty.until, excluded.until)")


#: "An arrangement is being kept" and "a promise to pay holds the ladder", with `{a}` for the
#: account id column.
ARRANGEMENT_KEPT = ("EXISTS (SELECT 1 FROM arrangements ar WHERE ar.account_id = {a} "
                    "AND ar.status = 'active')")
PROMISE_HOLDS = ("EXISTS (SELECT 1 FROM promises pr WHERE pr.account_id = {a} "
                 "AND pr.status = 'open' AND pr.promised_on >= CAST(:d AS date))")


def _event(type_: str, payload: str, source: str, ord_: str) -> str:
    return (f"SELECT gen_random_uuid() AS event_id, '{type_}' AS type, 1 AS version, "
            f"'account:' || x.account_id AS key, {payload} AS payload, {ord_} AS ord "
            f"FROM {source} x")


@lru_cache(maxsize=1)
def cure_statement() -> TextClause:
    """Steps of bills no longer past due (paid, credited, cancelled) or of accounts with an
    arrangement being kept are cured today; an account none of whose steps still stands gets
    `collections.DelinquencyCured`."""
    arr = ARRANGEMENT_KEPT
    return publishing_after(
        "cured AS (UPDATE ladder_steps s SET status = 'cured', cured_on = CAST(:d AS date) "
        "WHERE s.status <> 'cured' AND (NOT EXISTS (SELECT 1 FROM ladder_open o "
        "WHERE o.bill_id = s.bill_id) OR " + arr.format(a="s.account_id") + ") "
        "RETURNING s.id, s.account_id), "
        "stopped AS (SELECT DISTINCT c.account_id FROM cured c WHERE NOT EXISTS ("
        "SELECT 1 FROM ladder_steps l WHERE l.account_id = c.account_id "
        "AND l.status <> 'cured' AND NOT EXISTS (SELECT 1 FROM cured y WHERE y.id = l.id)))",
        _event("collections.DelinquencyCured",
               "jsonb_build_object('account_id', x.account_id, 'cured_on', CAST(:d AS date))",
               "stopped", "x.account_id::text"))


@lru_cache(maxsize=1)
def resume_statement() -> TextClause:
    """A cured bill past due again (a returned payment) takes up the ladder where it was: its
    steps stand again, none is taken twice; `collections.DelinquencyResumed` per account."""
    arr = ARRANGEMENT_KEPT
    return publishing_after(
        "resumed AS (UPDATE ladder_steps s SET status = 'taken', cured_on = NULL, "
        "resumed_on = CAST(:d AS date) FROM ladder_open o WHERE o.bill_id = s.bill_id "
        "AND s.status = 'cured' AND NOT " + arr.format(a="s.account_id") + " "
        "RETURNING s.account_id), "
        "accts AS (SELECT DISTINCT account_id FROM resumed)",
        _event("collections.DelinquencyResumed",
               "jsonb_build_object('account_id', x.account_id, 'resumed_on', CAST(:d AS date))",
               "accts", "x.account_id::text"))


@lru_cache(maxsize=1)
def hold_statement() -> TextClause:
    """Standing steps of an account with an open promise to pay are `held` until its date;
    held steps with no such promise stand (`taken`) again."""
    prom = PROMISE_HOLDS
    want = "CASE WHEN " + prom.format(a="s.account_id") + " THEN 'held' ELSE 'taken' END"
    return text("UPDATE ladder_steps s SET status = " + want + " WHERE s.status <> 'cured' "
                "AND s.status <> " + want)


@lru_cache(maxsize=1)
def advance_statement() -> TextClause:
    """Every past-due bill whose next step is due today takes it (one step a day at most, in
    order, spaced as the policy spaces them; none while an arrangement or a promise holds the
    account; no shut-off notice while an appeal is open), with its
    `collections.LadderStepTaken`, in one statement; answers with the steps taken."""
    arr, prom = ARRANGEMENT_KEPT, PROMISE_HOLDS
    ctes = f"""
        st AS (SELECT * FROM unnest(CAST(:steps AS text[]), CAST(:days AS int[]))
               WITH ORDINALITY AS t(step, days, k)),
        bd AS (SELECT * FROM unnest(CAST(:bd_days AS date[]), CAST(:bd_next AS date[]))
               AS t(day, next_day)),
        last AS (
            SELECT l.bill_id, max(st.k) AS k, max(l.taken_on) AS taken_on,
                   bool_and(l.status = 'taken') AS standing
            FROM ladder_steps l JOIN st USING (step)
            WHERE l.bill_id IN (SELECT bill_id FROM ladder_open WHERE bill_id IS NOT NULL)
            GROUP BY l.bill_id
        ),
        cand AS MATERIALIZED (
            SELECT o.account_id, o.bill_id, o.due_date, o.open_amount, o.past_due, o.prior,
                   nx.step, nx.k, bd.next_day AS disconnect_on
            FROM ladder_open o
            LEFT JOIN last ON last.bill_id = o.bill_id
            JOIN st nx ON nx.k = coalesce(last.k, 0) + 1
            LEFT JOIN st pv ON pv.k = last.k
            LEFT JOIN bd ON nx.step = 'shutoff_notice'
                AND bd.day = greatest(o.due_date + CAST(:disconnect_after AS int),
                                      CAST(:first AS date))
            WHERE o.bill_id IS NOT NULL
              AND coalesce(last.standing, true)
              AND CAST(:d AS date) >= o.due_date + nx.days
              AND (last.k IS NULL OR CAST(:d AS date) >= last.taken_on + (nx.days - pv.days))
              AND NOT {arr.format(a="o.account_id")}
              AND NOT {prom.format(a="o.account_id")}
              AND (nx.step <> 'shutoff_notice' OR NOT EXISTS (
                   SELECT 1 FROM appeals ap WHERE ap.account_id = o.account_id
                   AND ap.status <> 'decided'))
        ),
        ins AS (
            INSERT INTO ladder_steps (id, account_id, bill_id, step, taken_on, status,
                                      amount_past_due, disconnect_on)
            SELECT gen_random_uuid(), account_id, bill_id, step, CAST(:d AS date), 'taken',
                   past_due, disconnect_on
            FROM cand ORDER BY account_id, bill_id
            ON CONFLICT (bill_id, step) DO NOTHING
            RETURNING id, account_id, bill_id, step, amount_past_due, disconnect_on
        )"""
    source = _event(
        "collections.LadderStepTaken",
        "jsonb_build_object('account_id', x.account_id, 'bill_id', x.bill_id, 'step', x.step, "
        "'taken_on', CAST(:d AS date), 'amount_past_due', x.amount_past_due::text, "
        "'disconnect_on', x.disconnect_on)", "ins", "x.bill_id::text")
    result = ("SELECT i.account_id, i.bill_id, i.step, i.amount_past_due, i.disconnect_on, "
              "c.due_date, c.open_amount, c.prior FROM ins i JOIN cand c ON c.bill_id = i.bill_id "
              "ORDER BY i.account_id, i.bill_id")
    return publishing_within(ctes, source, result)


@dataclass(frozen=True, slots=True)
class StepTaken:
    account_id: uuid.UUID
    bill_id: uuid.UUID
    step: str
    amount_past_due: Decimal
    disconnect_on: date | None
    due_date: date
    open_amount: Decimal
    prior: Decimal


async def hash_joins(s: AsyncSession, only: bool) -> None:
    """The day's statements join their own CTEs and `ladder_open` (tens of thousands of rows
    whose sizes the planner cannot know: data-modifying CTEs are estimated at one row, and the
    service cannot ANALYZE a table it does not own); a nested loop between two of them is
    quadratic. Hash joins only while the ladder
    runs (SET LOCAL lasts to the end of the transaction, so it is switched back), as billing's
    run calculation does."""
    await s.execute(text(f"SET LOCAL enable_nestloop = {'off' if only else 'on'}"))


async def lock(s: AsyncSession) -> None:
    await s.execute(LOCK)


async def mark(s: AsyncSession, account_id: uuid.UUID | str, until: date) -> None:
    await s.execute(MARK, {"a": account_id, "u": until})


async def build_open(s: AsyncSession, today: date) -> bool:
    """Bring `ladder_open` to `today`: the changed accounts, or the district when it was never
    computed or was computed for a later day. Returns whether it recomputed the district."""
    since = (await s.execute(COMPUTED_ON)).scalar_one_or_none()
    everything = since is None or since > today
    if everything:
        await s.execute(OPEN_ALL, {"d": today})
    else:
        await s.execute(OPEN_CHANGED, {"d": today, "since": since})
    await s.execute(COMPUTED, {"d": today})
    return everything


async def cure(s: AsyncSession, today: date, actor: str) -> int:
    return await publish_batch(s, cure_statement(), {"d": today}, actor)


async def resume(s: AsyncSession, today: date, actor: str) -> int:
    return await publish_batch(s, resume_statement(), {"d": today}, actor)


async def hold(s: AsyncSession, today: date) -> int:
    res = await s.execute(hold_statement(), {"d": today})
    return int(res.rowcount)  # type: ignore[attr-defined]


async def advance(s: AsyncSession, today: date, params: dict[str, object],
                  actor: str) -> list[StepTaken]:
    return all_as(StepTaken, await s.execute(advance_statement(), {
        **params, "d": today, "request_id": request_id_var.get(), "actor": actor}))


async def cured_accounts(s: AsyncSession, today: date) -> list[uuid.UUID]:
    """Accounts whose ladder stopped today: a step cured today and none standing."""
    return list((await s.execute(text(
        "SELECT DISTINCT c.account_id FROM ladder_steps c WHERE c.cured_on = :d "
        "AND NOT EXISTS (SELECT 1 FROM ladder_steps l WHERE l.account_id = c.account_id "
        "AND l.status <> 'cured') ORDER BY 1"), {"d": today})).scalars())


@dataclass(frozen=True, slots=True)
class StepRow:
    id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    step: str
    taken_on: date
    status: str
    amount_past_due: Decimal
    disconnect_on: date | None
    cured_on: date | None
    resumed_on: date | None


async def steps_of(s: AsyncSession, account_id: uuid.UUID) -> list[StepRow]:
    return all_as(StepRow, await s.execute(text(
        "SELECT id, account_id, bill_id, step, taken_on, status, amount_past_due, "
        "disconnect_on, cured_on, resumed_on FROM ladder_steps WHERE account_id = :a "
        "ORDER BY taken_on, bill_id, array_position(ARRAY['reminder', 'first_notice', "
        "'second_notice', 'shutoff_notice'], step)"), {"a": account_id}))


@dataclass(frozen=True, slots=True)
class Holds:
    appeals: int
    arrangement: bool
    promise: bool


async def holds(s: AsyncSession, account_id: uuid.UUID, today: date) -> Holds:
    arr, prom = ARRANGEMENT_KEPT, PROMISE_HOLDS
    r = (await s.execute(text(
        "SELECT (SELECT count(*) FROM appeals ap WHERE ap.account_id = CAST(:a AS uuid) "
        "AND ap.status <> 'decided') AS appeals, " + arr.format(a="CAST(:a AS uuid)")
        + " AS arrangement, " + prom.format(a="CAST(:a AS uuid)") + " AS promise"),
        {"a": account_id, "d": today})).one()
    return Holds(int(r.appeals), bool(r.arrangement), bool(r.promise))
