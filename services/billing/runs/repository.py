"""All SQL of bill runs. The calculation is set-based: INSERT ... SELECT with the tier math,
proration and rate-version split done by PostgreSQL (spec: `rates.domain`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.csvexport import Export
from kernel.outbox import publish_batch, publishing
from kernel.rows import all_as, first_as, one_as, value_as
from services.billing.runs.schemas import RunBill, RunOut

# The run's agreements. `{scope}` is `p.cycle = :cycle` for a cycle run or
# `sa.account_id = :account` for a one-account run (two plain predicates, so the planner can hash
# join on table statistics); the meter and winter average are joined here for the same reason.
# `:part` of `:parts` picks the accounts of one part of a partitioned run (0 of 1: all).
_SA = """
    sa AS (
        SELECT sa.id AS sa_id, sa.account_id, sa.service, sa.rate_class, sa.premise_id,
               greatest(sa.start_date, CAST(:ps AS date)) AS a_start,
               least(coalesce(sa.stop_date, CAST(:pe AS date)), CAST(:pe AS date)) AS a_end,
               coalesce(sa.meter_id, (SELECT m.id FROM meters m WHERE m.premise_id = sa.premise_id
                        AND m.status = 'installed' ORDER BY m.id LIMIT 1)) AS meter_id,
               p.dwelling_units, CAST(:ps AS date) AS ps, CAST(:pe AS date) AS pe,
               (CAST(:pe AS date) - CAST(:ps AS date) + 1) AS pdays, wa.per_day AS winter_per_day,
               md5(CAST(:run AS text) || sa.account_id::text)::uuid AS bill_id
        FROM premises p
        JOIN service_agreements sa ON sa.premise_id = p.id
        LEFT JOIN winter_averages wa ON wa.premise_id = sa.premise_id
        WHERE {scope} AND sa.status <> 'pending'
          AND mod(hashtext(sa.account_id::text)::bigint + 2147483648,
                  CAST(:parts AS int)) = CAST(:part AS int)
          AND sa.start_date <= CAST(:pe AS date)
          AND (sa.stop_date IS NULL OR sa.stop_date >= CAST(:ps AS date))
    )"""

# One statement per run: lines (fixed, tiered volume, surcharge, fee, minimum top-up) are
# inserted from the copy, reads and rates, and the bills (totals and review flags) are inserted
# from the lines it returned. Bill ids are derived from (run, account) so lines need no lookup.
_CALCULATE = """
    WITH {sa},
    use AS (
        SELECT r.meter_id, sum(r.usage) AS qty
        FROM reads r
        WHERE r.status = 'valid' AND r.usage IS NOT NULL
          AND r.read_on BETWEEN CAST(:ps AS date) AND CAST(:pe AS date)
          AND r.meter_id IN (SELECT meter_id FROM sa)
        GROUP BY r.meter_id
    ),
    rv AS MATERIALIZED (  -- a handful of rows, joined on a date range: computed once
        SELECT id, effective_date AS v_start, drought_stage,
               coalesce(lead(effective_date) OVER (ORDER BY effective_date) - 1,
                        'infinity'::date) AS v_end,
               min(effective_date) OVER () AS first_start
        FROM rate_versions
    ),
    rf AS (
        SELECT version_id, service, meter_size, amount,
               initcap(replace(service, '_', ' ')) || ' service charge, ' || meter_size
                   || ' meter' AS description
        FROM rate_fixed
    ),
    bl AS (
        SELECT version_id, service, rate_class, tier, lower, width, price,
               initcap(replace(service, '_', ' ')) || ' use, tier ' || tier AS description,
               initcap(replace(service, '_', ' ')) || ' use (winter average), tier ' || tier
                   AS winter_description
        FROM rate_blocks
    ),
    seg AS (
        SELECT sa.*, rv.id AS version_id, rv.drought_stage,
               greatest(sa.a_start, rv.v_start) AS s_start, least(sa.a_end, rv.v_end) AS s_end,
               greatest(sa.a_start, rv.first_start) AS c_start,
               coalesce(u.qty, 0) AS qty, m.size AS meter_size
        FROM sa JOIN rv ON rv.v_start <= sa.a_end AND rv.v_end >= sa.a_start
        LEFT JOIN use u ON u.meter_id = sa.meter_id
        LEFT JOIN meters m ON m.id = sa.meter_id
    ),
    -- `cum`: the agreement's days billed up to the end of this segment. Rate versions tile
    -- time from the first one's effective date on, so an agreement's segments are contiguous
    -- from `c_start` and the running sum is plain date arithmetic (no sort, no window).
    seg2 AS (
        SELECT seg.*, (s_end - s_start + 1) AS s_days, (a_end - a_start + 1) AS a_days,
               (s_end - c_start + 1) AS cum
        FROM seg
    ),
    segq AS (
        SELECT seg2.*, rc.basis, rc.widths_per_unit, rc.cap, rc.minimum_charge,
               CASE WHEN rc.basis = 'winter_average' AND winter_per_day IS NOT NULL
                    THEN round(winter_per_day * s_days, 4)
                    ELSE round(qty * cum / a_days, 4) - round(qty * (cum - s_days) / a_days, 4)
               END AS q_raw,
               s_days::numeric / pdays AS f
        FROM seg2 LEFT JOIN rate_classes rc ON rc.version_id = seg2.version_id
             AND rc.service = seg2.service AND rc.rate_class = seg2.rate_class
    ),
    segc AS (
        SELECT segq.*, CASE WHEN cap IS NULL THEN q_raw
                            ELSE least(q_raw, round(cap * s_days / pdays, 4)) END AS q,
               round(minimum_charge * s_days / pdays, 2) AS floor
        FROM segq
    ),
    lines AS (
        SELECT bill_id, sa_id, segc.service, segc.rate_class, 'fixed' AS kind,
               rf.description, s_start, s_end, round(f, 4) AS quantity,
               rf.amount AS unit_price, NULL::int AS tier, segc.version_id,
               round(rf.amount * s_days / pdays, 2) AS amount
        FROM segc JOIN rf ON rf.version_id = segc.version_id
             AND rf.service = segc.service AND rf.meter_size = segc.meter_size
        UNION ALL
        SELECT bill_id, sa_id, segc.service, segc.rate_class, 'volume',
               CASE WHEN segc.basis = 'winter_average' AND winter_per_day IS NOT NULL
                    THEN bl.winter_description ELSE bl.description END,
               s_start, s_end, t.qty, bl.price, bl.tier, segc.version_id,
               round(t.qty * bl.price, 2)
        FROM segc JOIN bl ON bl.version_id = segc.version_id
             AND bl.service = segc.service AND bl.rate_class = segc.rate_class
        CROSS JOIN LATERAL (
            SELECT CASE WHEN widths_per_unit THEN dwelling_units ELSE 1 END * s_days AS num
        ) sc
        CROSS JOIN LATERAL (
            SELECT greatest(0, CASE WHEN bl.width IS NULL THEN q
                                    ELSE least(q, round((bl.lower + bl.width) * sc.num
                                                        / pdays, 4))
                               END - round(bl.lower * sc.num / pdays, 4)) AS qty
        ) t
        WHERE segc.basis IN ('metered', 'winter_average') AND (t.qty > 0 OR bl.tier = 1)
        UNION ALL
        SELECT bill_id, sa_id, segc.service, segc.rate_class, 'surcharge',
               'Drought surcharge, stage ' || segc.drought_stage, s_start, s_end, q, x.price,
               NULL, segc.version_id, round(q * x.price, 2)
        FROM segc JOIN rate_surcharges x ON x.version_id = segc.version_id
             AND x.service = segc.service AND x.stage = segc.drought_stage
        WHERE segc.basis IN ('metered', 'winter_average')
        UNION ALL
        SELECT bill_id, sa_id, segc.service, segc.rate_class, 'fee', fe.name, s_start, s_end,
               round(f, 4), fe.amount, NULL, segc.version_id,
               round(fe.amount * s_days / pdays, 2)
        FROM segc JOIN rate_fees fe ON fe.version_id = segc.version_id
             AND fe.service = segc.service
    ),
    mins AS (
        SELECT segc.bill_id, segc.sa_id, segc.service, segc.rate_class, 'minimum' AS kind,
               'Minimum charge top-up' AS description, segc.s_start, segc.s_end,
               1::numeric AS quantity,
               segc.floor - coalesce(g.amt, 0) AS unit_price, NULL::int AS tier,
               segc.version_id, segc.floor - coalesce(g.amt, 0) AS amount
        FROM segc LEFT JOIN (SELECT l.sa_id, l.version_id, l.s_start, sum(l.amount) AS amt
                             FROM lines l JOIN (SELECT DISTINCT sa_id FROM segc
                                                WHERE minimum_charge IS NOT NULL) w
                               ON w.sa_id = l.sa_id
                             GROUP BY l.sa_id, l.version_id, l.s_start) g
          ON g.sa_id = segc.sa_id AND g.version_id = segc.version_id
         AND g.s_start = segc.s_start
        WHERE segc.minimum_charge IS NOT NULL AND segc.floor > coalesce(g.amt, 0)
    ),
    ins AS (
        INSERT INTO bill_lines (bill_id, sa_id, service, rate_class, kind, description,
                                seg_start, seg_end, quantity, unit_price, tier,
                                rate_version_id, amount)
        SELECT * FROM (SELECT * FROM lines UNION ALL SELECT * FROM mins) l ORDER BY bill_id
        RETURNING bill_id, sa_id, service, rate_class, amount
    ),
    totals AS (
        SELECT bill_id, sum(amt) AS total,
               jsonb_agg(jsonb_build_object('sa_id', sa_id, 'service', service,
                         'rate_class', rate_class, 'amount', amt::text) ORDER BY service, sa_id)
                   AS segments
        FROM (SELECT bill_id, sa_id, service, rate_class, sum(amount) AS amt FROM ins
              GROUP BY bill_id, sa_id, service, rate_class) x
        GROUP BY bill_id
    ),
    metered AS (
        SELECT sa.account_id, bool_or(u.meter_id IS NULL) AS missing,
               bool_or(u.qty = 0) AS zero
        FROM sa LEFT JOIN use u ON u.meter_id = sa.meter_id
        WHERE sa.service IN ('water', 'irrigation', 'recycled')
        GROUP BY sa.account_id
    ),
    accts AS (
        SELECT account_id, min(ps) AS ps, min(pe) AS pe, bill_id
        FROM sa GROUP BY account_id, bill_id
    ),
    prev AS (
        SELECT DISTINCT ON (p.account_id) p.account_id, p.total AS last_total
        FROM bills p WHERE p.status = 'final' AND p.period_end < :ps
          AND p.account_id IN (SELECT account_id FROM accts)
        ORDER BY p.account_id, p.period_end DESC
    )
    INSERT INTO bills (id, run_id, account_id, period_start, period_end, status, total,
                       segments, flags)
    SELECT a.bill_id, CAST(:run AS uuid), a.account_id, a.ps, a.pe, 'draft', coalesce(t.total, 0),
           coalesce(t.segments, '[]'::jsonb),
           array_remove(ARRAY[
               CASE WHEN m.missing THEN 'missing_read' END,
               CASE WHEN m.zero THEN 'zero_use' END,
               CASE WHEN coalesce(t.total, 0) < 0 THEN 'negative' END,
               CASE WHEN coalesce(t.total, 0) > :max_total THEN 'over_threshold' END,
               CASE WHEN prev.last_total > 0 AND abs(coalesce(t.total, 0) - prev.last_total)
                         > prev.last_total * :change THEN 'large_change' END]::text[], NULL)
    FROM accts a LEFT JOIN totals t ON t.bill_id = a.bill_id
    LEFT JOIN metered m ON m.account_id = a.account_id
    LEFT JOIN prev ON prev.account_id = a.account_id
"""
CALCULATE_CYCLE = text(_CALCULATE.replace(
    "{sa}", _SA.replace("{scope}", "p.cycle = :cycle")))
CALCULATE_ACCOUNT = text(_CALCULATE.replace(
    "{sa}", _SA.replace("{scope}", "sa.account_id = :account")))


@dataclass(frozen=True)
class Run:
    id: uuid.UUID
    cycle: str
    kind: str
    account_id: uuid.UUID | None
    period_start: date
    period_end: date
    bill_date: date
    due_date: date
    status: str
    replaces_bill: uuid.UUID | None
    reference: str | None
    created_by: str
    prepared_by: str | None
    approved_by: str | None
    finalised_by: str | None
    finalised_at: datetime | None


@dataclass(frozen=True)
class RunSummary:
    bills: int
    total: Decimal
    flagged: int
    held: int
    held_for_copy: int
    flags: dict[str, int]


@dataclass(frozen=True)
class AccountCycle:
    cycle: str
    first_start: date


@dataclass(frozen=True)
class Bill:
    id: uuid.UUID
    account_id: uuid.UUID
    status: str
    period_start: date
    period_end: date


async def insert_run(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO bill_runs (id, cycle, period_start, period_end, bill_date, due_date, "
        "status, kind, account_id, replaces_bill, reference, created_by) VALUES (:id, :cycle, "
        ":period_start, :period_end, :bill_date, :due_date, 'preview', :kind, :account_id, "
        ":replaces_bill, :reference, :created_by)"),
        {"kind": "cycle", "account_id": None, "replaces_bill": None, "reference": None, **r})


async def live_run(s: AsyncSession, cycle: str, start: date, end: date
                   ) -> uuid.UUID | None:
    return value_as(uuid.UUID, (await s.execute(text(
        "SELECT id FROM bill_runs WHERE cycle = :c AND kind = 'cycle' AND status <> 'discarded' "
        "AND period_start <= :e AND period_end >= :s LIMIT 1"),
        {"c": cycle, "s": start, "e": end})).scalar_one_or_none())


async def run_by_reference(s: AsyncSession, reference: str) -> uuid.UUID | None:
    return value_as(uuid.UUID, (await s.execute(text(
        "SELECT id FROM bill_runs WHERE reference = :r"), {"r": reference})).scalar_one_or_none())


# Accounts one calculating statement takes at most. A cycle (or part) with more is calculated
# in slices by account hash, one statement each in the same transaction, so the statement's
# hash tables, sorts and CTEs stay the size of a slice (memory flat whatever the run's size, no
# spill to disk) and a million-account run costs per account what a 50,000-account one does.
SLICE_ACCOUNTS = 50_000

# The cycle's premises: about as many as its accounts (a premise changing hands inside the
# period bills two, a vacant one none), which is all the slicing needs, counted through the
# cycle's index; every part counts it again, so it must cost nothing next to the calculation.
CYCLE_ACCOUNTS = text("SELECT count(*) FROM premises WHERE cycle = :cycle")


def slices(accounts: int, parts: int, slice_accounts: int) -> int:
    """How many slices each of `parts` parts of a cycle with `accounts` accounts is cut into."""
    per_part = -(-accounts // parts)
    return max(1, -(-per_part // slice_accounts))


async def calculate(s: AsyncSession, run: Run, max_total: Decimal, change: Decimal,
                    part: int = 0, parts: int = 1) -> None:
    p = {"run": str(run.id), "ps": run.period_start, "pe": run.period_end, "max_total": max_total,
         "change": change, "part": part, "parts": parts}
    # The statement joins its own CTEs (hundreds of thousands of rows whose sizes the planner
    # cannot know); a nested loop between two of them is quadratic. Hash joins only, for this
    # statement (SET LOCAL lasts to the end of the transaction, so it is switched back).
    await s.execute(text("SET LOCAL enable_nestloop = off"))
    if run.account_id is None:
        accounts = int((await s.execute(CYCLE_ACCOUNTS, {"cycle": run.cycle})).scalar_one())
        k = slices(accounts, parts, SLICE_ACCOUNTS)
        # Slice j of part `part` of `parts`: hash mod (parts * k) = part + parts * j, which
        # together are exactly the accounts whose hash mod parts = part.
        for j in range(k):
            await s.execute(CALCULATE_CYCLE, {**p, "cycle": run.cycle, "parts": parts * k,
                                              "part": part + parts * j})
    else:
        await s.execute(CALCULATE_ACCOUNT, {**p, "account": run.account_id})
    await s.execute(text("SET LOCAL enable_nestloop = on"))


# ---- partitioned runs: parts claimed by several workers ---------------------------------------

@dataclass(frozen=True)
class Part:
    run_id: uuid.UUID
    part: int
    parts: int


async def insert_parts(s: AsyncSession, run_id: uuid.UUID, parts: int) -> None:
    await s.execute(text(
        "INSERT INTO bill_run_parts (run_id, part, parts) "
        "SELECT :r, g, :n FROM generate_series(0, :n - 1) g"), {"r": run_id, "n": parts})


async def claim_part(s: AsyncSession) -> Part | None:
    """One part not yet calculated of a run in preview, locked to this transaction; parts
    another worker holds are skipped, so workers never wait on each other."""
    return first_as(Part, await s.execute(text(
        "SELECT p.run_id, p.part, p.parts FROM bill_run_parts p "
        "JOIN bill_runs r ON r.id = p.run_id AND r.status = 'preview' "
        "WHERE p.calculated_at IS NULL ORDER BY r.created_at, p.part "
        "LIMIT 1 FOR UPDATE OF p SKIP LOCKED")))


async def part_calculated(s: AsyncSession, run_id: uuid.UUID, part: int | None,
                          who: str) -> None:
    """Mark one part (or every part: None) calculated."""
    await s.execute(text(
        "UPDATE bill_run_parts SET calculated_at = now(), calculated_by = :w "
        "WHERE run_id = :r AND (CAST(:p AS int) IS NULL OR part = :p)"),
        {"r": run_id, "p": part, "w": who})


async def parts_pending(s: AsyncSession, run_id: uuid.UUID) -> int:
    return int((await s.execute(text(
        "SELECT count(*) FROM bill_run_parts WHERE run_id = :r AND calculated_at IS NULL"),
        {"r": run_id})).scalar_one())


async def hold_for_copy(s: AsyncSession, run_id: uuid.UUID) -> int:
    """Hold out of the run (status `discarded`, flag `awaiting_copy` instead of
    `missing_read`) every draft bill of an account whose meter has a read up to the period's
    end that billing's copy cannot judge yet, or whose agreement names a meter the copy does
    not hold as installed (its installation has not arrived; a route-file read for it may be
    kept by serial): billed now it would say missing_read although the read is there. A
    recalculation once the copy caught up bills it, or an account run after the cycle's run
    is final."""
    behind = (await s.execute(text(
        """
        SELECT sa.account_id, sa.start_date, sa.stop_date, rd.read_on
        FROM read_exceptions e JOIN reads rd ON rd.id = e.read_id
        JOIN service_agreements sa ON e.meter_id = sa.meter_id OR (sa.meter_id IS NULL
             AND e.meter_id IN (SELECT m.id FROM meters m WHERE m.premise_id = sa.premise_id))
        WHERE e.code = 'awaiting_copy' AND e.status = 'open'
        UNION ALL
        SELECT sa.account_id, sa.start_date, sa.stop_date, NULL
        FROM service_agreements sa LEFT JOIN meters m ON m.id = sa.meter_id
        WHERE sa.meter_id IS NOT NULL AND (m.id IS NULL OR m.status NOT IN ('installed', 'removed'))
        """))).all()
    if not behind:  # the usual case: the copy has caught up
        return 0
    res = await s.execute(text(
        """
        UPDATE bills b SET status = 'discarded',
               flags = array_append(array_remove(array_remove(b.flags, 'missing_read'),
                                                 'awaiting_copy'), 'awaiting_copy')
        FROM (SELECT unnest(CAST(:a AS uuid[])) AS account_id,
                     unnest(CAST(:s AS date[])) AS start_date,
                     unnest(CAST(:e AS date[])) AS stop_date,
                     unnest(CAST(:o AS date[])) AS read_on) h
        WHERE b.run_id = :r AND b.status = 'draft' AND h.account_id = b.account_id
          AND h.start_date <= b.period_end
          AND (h.stop_date IS NULL OR h.stop_date >= b.period_start)
          AND (h.read_on IS NULL OR h.read_on <= b.period_end)
        """), {"r": run_id, "a": [x.account_id for x in behind],
               "s": [x.start_date for x in behind], "e": [x.stop_date for x in behind],
               "o": [x.read_on for x in behind]})
    return int(res.rowcount)  # type: ignore[attr-defined]


async def clear(s: AsyncSession, run_id: uuid.UUID) -> None:
    await s.execute(text("DELETE FROM bill_lines WHERE bill_id IN "
                         "(SELECT id FROM bills WHERE run_id = :r)"), {"r": run_id})
    await s.execute(text("DELETE FROM bills WHERE run_id = :r"), {"r": run_id})


async def get_run(s: AsyncSession, run_id: uuid.UUID, lock: bool = False) -> Run | None:
    return first_as(Run, await s.execute(text(
        "SELECT * FROM bill_runs WHERE id = :id" + (" FOR UPDATE" if lock else "")),
        {"id": run_id}))


async def set_status(s: AsyncSession, run_id: uuid.UUID, status: str, **who: str) -> None:
    sets = ", ".join([f"{k} = :{k}" for k in who] + ["status = :st"])
    extra = ", finalised_at = now()" if status == "finalised" else ""
    await s.execute(text(f"UPDATE bill_runs SET {sets}{extra} WHERE id = :id"),
                    {"id": run_id, "st": status, **who})


async def summary(s: AsyncSession, run_id: uuid.UUID) -> RunSummary:
    """Totals, flag counts and bills held for the copy in one read of the run's bills."""
    return one_as(RunSummary, await s.execute(text(
        """
        WITH b AS MATERIALIZED (SELECT status, total, flags FROM bills WHERE run_id = :r)
        SELECT count(*) FILTER (WHERE status <> 'discarded') AS bills,
               coalesce(sum(total) FILTER (WHERE status <> 'discarded'), 0) AS total,
               count(*) FILTER (WHERE cardinality(flags) > 0 AND status <> 'discarded')
                   AS flagged,
               count(*) FILTER (WHERE status = 'discarded') AS held,
               count(*) FILTER (WHERE status = 'discarded' AND 'awaiting_copy' = ANY(flags))
                   AS held_for_copy,
               (SELECT coalesce(jsonb_object_agg(f, n), '{}'::jsonb) FROM (
                    SELECT f, count(*) AS n FROM b, unnest(b.flags) f
                    WHERE b.status <> 'discarded' GROUP BY f) x) AS flags
        FROM b
        """), {"r": run_id}))


RUN_BILLS = text(
    "SELECT b.id, b.account_id, a.number, b.total, b.flags, b.status FROM bills b "
    "LEFT JOIN accounts a ON a.id = b.account_id WHERE b.run_id = :r "
    "AND (NOT :f OR cardinality(b.flags) > 0) ORDER BY a.number, b.id LIMIT :l OFFSET :o")


async def run_bills(s: AsyncSession, run_id: uuid.UUID, flagged_only: bool, limit: int,
                    offset: int) -> list[RunBill]:
    return [RunBill.model_validate(r._asdict()) for r in (await s.execute(
        RUN_BILLS, {"r": run_id, "f": flagged_only, "l": limit, "o": offset})).all()]


def run_bills_export(run_id: uuid.UUID, flagged_only: bool) -> Export:
    """Every bill of the run (`LIMIT NULL`), for a CSV download."""
    return Export(RUN_BILLS, {"r": run_id, "f": flagged_only, "l": None, "o": 0},
                  f"run-{run_id}-bills.csv")


async def hold_bill(s: AsyncSession, run_id: uuid.UUID, bill_id: uuid.UUID) -> int:
    res = await s.execute(text(
        "UPDATE bills SET status = 'discarded' WHERE id = :b AND run_id = :r "
        "AND status = 'draft'"), {"b": bill_id, "r": run_id})
    return int(res.rowcount)  # type: ignore[attr-defined]


async def last_final_end(s: AsyncSession, account_id: uuid.UUID) -> date | None:
    return value_as(date, (await s.execute(text(
        "SELECT max(period_end) FROM bills WHERE account_id = :a AND status = 'final'"),
        {"a": account_id})).scalar_one())


async def account_cycle(s: AsyncSession, account_id: uuid.UUID) -> AccountCycle | None:
    return first_as(AccountCycle, await s.execute(text(
        "SELECT p.cycle, min(sa.start_date) AS first_start FROM service_agreements sa "
        "JOIN premises p ON p.id = sa.premise_id WHERE sa.account_id = :a GROUP BY p.cycle "
        "LIMIT 1"), {"a": account_id}))


# HOT in-page update (bills has fillfactor 60 and no index on what changes); nothing comes
# back to the application: the ledger and the events read the final bills where they lie.
FINALISE_BILLS = text("""
    UPDATE bills SET status = 'final', bill_date = CAST(:on AS date), due_date = CAST(:due AS date)
    WHERE run_id = :run AND status = 'draft'
""")


async def finalise_bills(s: AsyncSession, run: Run) -> int:
    """The run's draft bills become final (dated from the run); returns how many."""
    res = await s.execute(FINALISE_BILLS, {"run": run.id, "on": run.bill_date,
                                           "due": run.due_date})
    return int(res.rowcount)  # type: ignore[attr-defined]


# `billing.BillIssued` for every final bill of the run (with the account's balance after it,
# summed from the ledger the run has just posted to, and the budget deferral posted with it,
# null when none) and `billing.EBillReady` right after it for paperless accounts: events built
# by SQL from 100k bills (one hash join to the ledger, no per-bill probe), numbered by the
# kernel's one publishing statement.
BILL_EVENTS = publishing("""
        WITH rb AS (
            SELECT b.id, b.account_id, b.bill_date, b.due_date, b.period_start, b.period_end,
                   b.total, b.replaces, b.segments
            FROM bills b WHERE b.run_id = :run AND b.status = 'final'
              AND mod(hashtext(b.account_id::text)::bigint + 2147483648,
                      CAST(:parts AS int)) = CAST(:part AS int)
        ), led AS (
            SELECT rb.account_id, sum(e.amount) AS balance,
                   max(e.amount) FILTER (WHERE e.kind = 'budget_deferral'
                                         AND e.reference = rb.id::text) AS deferral
            FROM rb JOIN ledger_entries e ON e.account_id = rb.account_id
            GROUP BY rb.account_id
        ), fb AS (
            SELECT rb.*, 'account:' || rb.account_id AS key,
                   coalesce(a.paperless OR c.paperless, false) AS ebill, a.number, a.language,
                   c.emails, led.balance, led.deferral,
                   row_number() OVER (ORDER BY rb.account_id) AS n
            FROM rb LEFT JOIN accounts a ON a.id = rb.account_id
            LEFT JOIN customers c ON c.id = a.customer_id
            LEFT JOIN led ON led.account_id = rb.account_id
        )
        SELECT gen_random_uuid() AS event_id, 'billing.BillIssued' AS type, 1 AS version, key,
               jsonb_build_object('bill', jsonb_build_object(
                   'id', fb.id, 'account_id', fb.account_id, 'bill_date', fb.bill_date,
                   'due_date', fb.due_date, 'period_start', fb.period_start,
                   'period_end', fb.period_end, 'total', fb.total::text,
                   'replaces', fb.replaces, 'segments', fb.segments),
                   'balance', coalesce(fb.balance, 0)::text,
                   'budget_deferral', fb.deferral::text) AS payload,
               fb.n * 2 AS ord
        FROM fb
        UNION ALL
        SELECT gen_random_uuid(), 'billing.EBillReady', 1, key,
               jsonb_build_object('bill_id', fb.id, 'account_id', fb.account_id,
                   'account_number', fb.number, 'total', fb.total::text,
                   'due_date', fb.due_date, 'emails', coalesce(fb.emails, '[]'::jsonb),
                   'language', fb.language),
               fb.n * 2 + 1
        FROM fb WHERE fb.ebill
""")


# Bills one events statement announces at most: a larger run publishes in slices by account
# hash (an account's events stay in one slice, so its order holds), in the same transaction,
# and the statement's events, sorts and joins stay in memory instead of spilling to disk.
SLICE_EVENTS = 25_000


async def publish_bills(s: AsyncSession, run_id: uuid.UUID, who: str, bills: int) -> None:
    """`billing.BillIssued` (and `EBillReady`) for the run's `bills` final bills."""
    k = slices(bills, 1, SLICE_EVENTS)
    for part in range(k):
        await publish_batch(s, BILL_EVENTS, {"run": run_id, "parts": k, "part": part},
                            actor=who)


async def discard_drafts(s: AsyncSession, run_id: uuid.UUID) -> None:
    await s.execute(text("UPDATE bills SET status = 'discarded' WHERE run_id = :r "
                         "AND status = 'draft'"), {"r": run_id})


async def replaced_bill(s: AsyncSession, bill_id: uuid.UUID) -> Bill | None:
    return first_as(Bill, await s.execute(text("SELECT * FROM bills WHERE id = :b FOR UPDATE"),
                                          {"b": bill_id}))


async def cancel_bill(s: AsyncSession, old: Bill, new_id: uuid.UUID | None, reason: str
                      ) -> None:
    """Cancel a final bill (the ledger reverses its entries: `ledger.service.reverse_bills`)."""
    await s.execute(text(
        "UPDATE bills SET status = 'cancelled', replaced_by = :n, cancel_reason = :why "
        "WHERE id = :o"), {"n": new_id, "why": reason, "o": old.id})
    if new_id is not None:
        await s.execute(text("UPDATE bills SET replaces = :o WHERE id = :n"),
                        {"o": old.id, "n": new_id})


async def run_bill_ids(s: AsyncSession, run_id: uuid.UUID, status: str) -> list[uuid.UUID]:
    return [r.id for r in (await s.execute(text(
        "SELECT id FROM bills WHERE run_id = :r AND status = :st"),
        {"r": run_id, "st": status})).all()]


async def set_messages(s: AsyncSession, run_id: uuid.UUID, messages: list[str]) -> None:
    await s.execute(text("UPDATE bills SET messages = :m WHERE run_id = :r"),
                    {"m": messages, "r": run_id})


async def billed_overlap(s: AsyncSession, account_id: uuid.UUID, start: date, end: date
                         ) -> uuid.UUID | None:
    return value_as(uuid.UUID, (await s.execute(text(
        "SELECT id FROM bills WHERE account_id = :a AND status IN ('final', 'draft') "
        "AND period_start <= :e AND period_end >= :s LIMIT 1"),
        {"a": account_id, "s": start, "e": end})).scalar_one_or_none())


LIST_RUNS = text("""
    SELECT r.id, r.cycle, r.kind, r.account_id, r.period_start, r.period_end, r.bill_date,
           r.due_date, r.status, r.created_by, r.prepared_by, r.approved_by,
           r.finalised_by, r.finalised_at,
           coalesce(b.bills, 0) AS bills, coalesce(b.total, 0) AS total,
           coalesce(b.flagged, 0) AS flagged, coalesce(b.held, 0) AS held,
           coalesce(b.held_for_copy, 0) AS held_for_copy,
           coalesce(f.flags, '{}'::jsonb) AS flags
    FROM bill_runs r
    LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE status <> 'discarded') AS bills,
               sum(total) FILTER (WHERE status <> 'discarded') AS total,
               count(*) FILTER (WHERE cardinality(flags) > 0 AND status <> 'discarded')
                   AS flagged,
               count(*) FILTER (WHERE status = 'discarded') AS held,
               count(*) FILTER (WHERE status = 'discarded'
                                AND 'awaiting_copy' = ANY(flags)) AS held_for_copy
        FROM bills WHERE run_id = r.id) b ON true
    LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(f, n) AS flags FROM (
            SELECT f, count(*) AS n FROM bills, unnest(flags) f
            WHERE run_id = r.id AND status <> 'discarded' GROUP BY f) x) f ON true
    WHERE (CAST(:status AS text) IS NULL OR r.status = :status)
      AND (CAST(:kind AS text) IS NULL OR r.kind = :kind)
      AND (CAST(:account AS uuid) IS NULL OR r.account_id = :account)
    ORDER BY r.created_at DESC, r.id
    LIMIT :limit
""")


async def list_runs(s: AsyncSession, status: str | None, kind: str | None,
                    account_id: uuid.UUID | None, limit: int) -> list[RunOut]:
    """Runs newest first with their totals and flag counts, in one statement."""
    return [RunOut.model_validate(r._asdict()) for r in (await s.execute(LIST_RUNS,
        {"status": status, "kind": kind, "account": account_id, "limit": limit})).all()]


def runs_export(status: str | None, kind: str | None, account_id: uuid.UUID | None) -> Export:
    """Every run matching (`LIMIT NULL`), newest first, for a CSV download."""
    return Export(LIST_RUNS, {"status": status, "kind": kind, "account": account_id,
                              "limit": None}, "runs.csv")


# ---- bill eligibility decided on a copy that was behind --------------------------------------

@dataclass(frozen=True)
class BilledPeriod:
    id: uuid.UUID
    period_start: date
    period_end: date


@dataclass(frozen=True)
class Missed:
    account_id: uuid.UUID
    run_id: uuid.UUID
    period_start: date
    period_end: date


async def unknown_agreements(s: AsyncSession, sa_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Of `sa_ids`, those billing's copy has not heard of."""
    known = {r.id for r in (await s.execute(text(
        "SELECT id FROM service_agreements WHERE id = ANY(:ids)"), {"ids": sa_ids})).all()}
    return [i for i in sa_ids if i not in known]


async def bills_past_stop(s: AsyncSession, account_id: uuid.UUID, sa_ids: list[uuid.UUID],
                          stop: date) -> list[BilledPeriod]:
    """Final bills of the account that charged one of `sa_ids` for days after `stop`: the run
    was calculated before billing heard of the stop."""
    return all_as(BilledPeriod, await s.execute(text(
        "SELECT DISTINCT b.id, b.period_start, b.period_end FROM bills b "
        "JOIN bill_lines l ON l.bill_id = b.id WHERE b.account_id = :a AND b.status = 'final' "
        "AND l.sa_id = ANY(:sas) AND l.seg_end > :stop ORDER BY b.period_start"),
        {"a": account_id, "sas": sa_ids, "stop": stop}))


async def previous_final_run(s: AsyncSession, cycle: str, before: date) -> uuid.UUID | None:
    return value_as(uuid.UUID, (await s.execute(text(
        "SELECT id FROM bill_runs WHERE cycle = :c AND kind = 'cycle' AND status = 'finalised' "
        "AND period_end < :b ORDER BY period_end DESC LIMIT 1"), {"c": cycle, "b": before})
    ).scalar_one_or_none())


async def missed_by_final_run(s: AsyncSession, run_id: uuid.UUID) -> list[Missed]:
    """Accounts with service in a finalised cycle run's cycle and period that the run has no
    bill for and no other bill covers: billing's copy heard of their agreement after the run
    was calculated. (Set difference, so it stays linear whatever the planner believes about
    the bills the run has just written.)"""
    r = await get_run(s, run_id)
    if r is None or r.kind != "cycle" or r.status != "finalised":
        return []
    return all_as(Missed, await s.execute(text(
        """
        SELECT account_id, CAST(:r AS uuid) AS run_id, CAST(:ps AS date) AS period_start,
               CAST(:pe AS date) AS period_end
        FROM (
            SELECT sa.account_id FROM premises p
            JOIN service_agreements sa ON sa.premise_id = p.id AND sa.status <> 'pending'
                 AND sa.start_date <= :pe AND (sa.stop_date IS NULL OR sa.stop_date >= :ps)
            WHERE p.cycle = :c
            EXCEPT
            SELECT account_id FROM bills WHERE run_id = :r
            EXCEPT
            SELECT account_id FROM bills WHERE status IN ('final', 'draft')
              AND period_start <= :pe AND period_end >= :ps
        ) missed
        ORDER BY account_id
        """), {"r": run_id, "c": r.cycle, "ps": r.period_start, "pe": r.period_end}))
