"""Billing's reports in SQL: each a set-based statement over the month's ledger entries, the
bills they post, reads and billing's copy of accounts' agreements, premises and meters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, one_as

# The period's bill entries (+1) and bill cancellations (-1) with the bill each points at: a
# bill entry's reference is its bill's id (ledger.repository.POST_RUN_BILLS, the only writer of
# `bill`), a cancel's the same (REVERSE_BILLS copies it). The cast is not guarded by a pattern:
# a regular-expression check cost 4-9 us an entry, most of a month's report at 100,000 accounts.
# The days are found by `ledger_posted_brin` (billing_0015_reports), not a scan of every year.
_BILL_ENTRIES = """
    e AS (
        SELECT account_id, posted_on, CASE kind WHEN 'bill' THEN 1 ELSE -1 END AS sign,
               CAST(reference AS uuid) AS bill_id
        FROM ledger_entries
        WHERE kind IN ('bill', 'bill_cancel') AND posted_on BETWEEN :s AND :e
    )"""

# A bill's lines, read by its index once per bill (`OFFSET 0` keeps the subquery a nested
# loop: flattened, the planner hashes every line of every year to join the month's). At 20,000
# accounts with a year of history: 19,800 probes of 4.5 lines in 0.1 s; the hash join, 0.35 s.
_LINES_OF = """
    CROSS JOIN LATERAL (
        SELECT l.sa_id, l.service, l.rate_class, l.kind, l.quantity, l.amount
        FROM bill_lines l WHERE l.bill_id = e.bill_id {where} OFFSET 0) l"""

_POTABLE_VOLUME = "AND l.kind = 'volume' AND l.service = ANY(CAST(:potable AS text[]))"

# Every agreement's meter size: its own meter, else the premise's installed meter (as a run
# finds it, runs.repository; the lookup runs only for an agreement without one). Built once as
# a hash (a few milliseconds per 10,000 agreements) and probed per line, not looked up by
# index once per line.
_SIZED = """
    sized AS (
        SELECT sa.id, coalesce(m.size, '') AS meter_size FROM service_agreements sa
        LEFT JOIN meters m ON m.id = coalesce(sa.meter_id, (
            SELECT i.id FROM meters i WHERE i.premise_id = sa.premise_id
               AND i.status = 'installed' ORDER BY i.id LIMIT 1))
    )"""

# The same for the premise's kind (the State's customer class).
_KINDS = """
    kinds AS (
        SELECT sa.id, coalesce(p.kind, '') AS kind FROM service_agreements sa
        LEFT JOIN premises p ON p.id = sa.premise_id
    )"""


@dataclass(frozen=True)
class BilledRow:
    service: str
    rate_class: str
    meter_size: str
    bills: int
    consumption: Decimal
    revenue: Decimal


# Money and consumption are summed straight into the report's few groups; the bill count (a
# bill with two agreements of one class and size counts once) from the distinct bills per
# group, without the sort a count(DISTINCT) makes.
BILLED = text(f"""
    WITH {_BILL_ENTRIES}, {_SIZED},
    per AS MATERIALIZED (
        SELECT e.sign, e.bill_id, l.service, l.rate_class,
               coalesce(z.meter_size, '') AS meter_size,
               CASE WHEN l.kind = 'volume' THEN l.quantity ELSE 0 END AS qty, l.amount
        FROM e {_LINES_OF.format(where="")}
        LEFT JOIN sized z ON z.id = l.sa_id
    ),
    money AS (
        SELECT service, rate_class, meter_size, sum(sign * qty) AS consumption,
               sum(sign * amount) AS revenue
        FROM per GROUP BY 1, 2, 3
    ),
    counted AS (
        SELECT service, rate_class, meter_size,
               CAST(count(*) FILTER (WHERE sign = 1) - count(*) FILTER (WHERE sign = -1)
                    AS int) AS bills
        FROM (SELECT DISTINCT sign, bill_id, service, rate_class, meter_size FROM per) d
        GROUP BY 1, 2, 3
    )
    SELECT service, rate_class, meter_size, bills, consumption, revenue
    FROM money JOIN counted USING (service, rate_class, meter_size)
    ORDER BY 1, 2, 3
""")


async def billed(s: AsyncSession, start: date, end: date) -> list[BilledRow]:
    return all_as(BilledRow, await s.execute(BILLED, {"s": start, "e": end}))


@dataclass(frozen=True)
class EntryRow:
    kind: str
    reason: str
    approved_by: str
    entries: int
    charges: Decimal
    credits: Decimal


# Every ledger entry of the period but payments (payments' receipts report has those), by
# kind, reason and who approved it: an adjustment's reason code and approver; a bill's run
# kind and the supervisor who approved the run; a cancelled bill's reason and the approver of
# the run that replaced it; anything else (late charges, deposits, transfers) by who posted it.
# A bill is found by its key once per entry (`OFFSET 0`): hashing every bill of every year
# costs more than the month's probes and spills to disk on a small `work_mem`.
ENTRIES = text("""
    WITH e AS (
        SELECT id, kind, amount, created_by,
               CASE WHEN kind IN ('bill', 'bill_cancel') THEN CAST(reference AS uuid)
               END AS bill_id
        FROM ledger_entries
        WHERE posted_on BETWEEN :s AND :e AND kind NOT IN ('payment', 'payment_reversal')
    ),
    billed AS (
        SELECT e.*, b.run_id, b.cancel_reason, b.replaced_by FROM e LEFT JOIN LATERAL (
            SELECT b.run_id, b.cancel_reason, b.replaced_by FROM bills b
            WHERE b.id = e.bill_id OFFSET 0) b ON true
    ),
    by_run AS (
        SELECT billed.*, CASE kind WHEN 'bill' THEN run_id WHEN 'bill_cancel' THEN (
                   SELECT nb.run_id FROM bills nb WHERE nb.id = billed.replaced_by) END
                   AS approving_run
        FROM billed
    )
    SELECT e.kind,
           coalesce(a.reason_code,
                    CASE e.kind WHEN 'bill' THEN r.kind || ' bill'
                                WHEN 'bill_cancel' THEN coalesce(e.cancel_reason, 'cancelled')
                    END, '') AS reason,
           coalesce(a.approved_by, r.approved_by, e.created_by) AS approved_by,
           CAST(count(*) AS int) AS entries,
           coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0.00) AS charges,
           coalesce(sum(e.amount) FILTER (WHERE e.amount < 0), 0.00) AS credits
    FROM by_run e
    LEFT JOIN adjustments a ON a.entry_id = e.id
    LEFT JOIN bill_runs r ON r.id = e.approving_run
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
""")


async def entries(s: AsyncSession, start: date, end: date) -> list[EntryRow]:
    return all_as(EntryRow, await s.execute(ENTRIES, {"s": start, "e": end}))


@dataclass(frozen=True)
class LedgerSum:
    amount: Decimal
    entries: int


async def ledger_sum(s: AsyncSession, start: date, end: date, kinds: list[str] | None,
                     exclude: list[str] | None = None) -> LedgerSum:
    """The ledger's own total for the days: what a money report must equal to the cent."""
    return one_as(LedgerSum, await s.execute(text(
        "SELECT coalesce(sum(amount), 0.00) AS amount, CAST(count(*) AS int) AS entries "
        "FROM ledger_entries WHERE posted_on BETWEEN :s AND :e "
        "AND (CAST(:k AS text[]) IS NULL OR kind = ANY(CAST(:k AS text[]))) "
        "AND NOT kind = ANY(CAST(:x AS text[]))"),
        {"s": start, "e": end, "k": kinds, "x": exclude or []}))


@dataclass(frozen=True)
class UnbilledRow:
    account_id: uuid.UUID
    number: str
    name: str
    status: str
    cycle: str
    reason: str
    last_billed: date | None


# Accounts with an agreement in force during the month but no bill posted in it, and accounts
# billed in it whose metered water used nothing (a stopped meter, a vacant home, a misread).
UNBILLED = text(f"""
    WITH {_BILL_ENTRIES},
    active AS (
        SELECT sa.account_id, min(p.cycle) AS cycle FROM service_agreements sa
        JOIN premises p ON p.id = sa.premise_id
        WHERE sa.status <> 'pending' AND sa.start_date <= :e
          AND (sa.stop_date IS NULL OR sa.stop_date >= :s)
        GROUP BY sa.account_id
    ),
    unbilled AS (
        SELECT account_id, cycle, 'unbilled' AS reason FROM active
        WHERE account_id NOT IN (SELECT account_id FROM e WHERE sign = 1)
    ),
    zero AS (
        SELECT account_id, NULL AS cycle, 'zero_consumption' AS reason FROM (
            SELECT e.account_id, e.bill_id, e.sign, sum(l.quantity) AS qty
            FROM e {_LINES_OF.format(where=_POTABLE_VOLUME)}
            GROUP BY 1, 2, 3) b
        GROUP BY account_id HAVING sum(sign * qty) = 0 AND sum(sign) > 0
    ),
    x AS (SELECT * FROM unbilled UNION ALL SELECT * FROM zero)
    SELECT x.account_id, coalesce(a.number, '') AS number, coalesce(a.name, '') AS name,
           coalesce(a.status, '') AS status,
           coalesce(x.cycle, (SELECT min(p.cycle) FROM service_agreements sa
                              JOIN premises p ON p.id = sa.premise_id
                              WHERE sa.account_id = x.account_id), '') AS cycle, x.reason,
           (SELECT max(l.posted_on) FROM ledger_entries l WHERE l.account_id = x.account_id
              AND l.kind = 'bill' AND l.posted_on <= :e) AS last_billed
    FROM x LEFT JOIN accounts a ON a.id = x.account_id
    ORDER BY x.reason DESC, x.cycle, a.number
""")


async def unbilled(s: AsyncSession, start: date, end: date,
                   potable: tuple[str, ...]) -> list[UnbilledRow]:
    return all_as(UnbilledRow, await s.execute(UNBILLED, {"s": start, "e": end,
                                                          "potable": list(potable)}))


@dataclass(frozen=True)
class ReadsRow:
    source: str
    kind: str
    valid: int
    pending: int
    rejected: int
    usage: Decimal


READS = text("""
    SELECT source, kind,
           CAST(count(*) FILTER (WHERE status = 'valid') AS int) AS valid,
           CAST(count(*) FILTER (WHERE status = 'pending') AS int) AS pending,
           CAST(count(*) FILTER (WHERE status = 'rejected') AS int) AS rejected,
           coalesce(sum(usage) FILTER (WHERE status = 'valid'), 0) AS usage
    FROM reads WHERE read_on BETWEEN :s AND :e
    GROUP BY source, kind ORDER BY source, kind
""")


async def reads(s: AsyncSession, start: date, end: date) -> list[ReadsRow]:
    return all_as(ReadsRow, await s.execute(READS, {"s": start, "e": end}))


@dataclass(frozen=True)
class ConnectionRow:
    service: str
    rate_class: str
    meter_size: str
    customers: int
    accounts: int
    connections: int
    dwelling_units: int


CONNECTIONS = text("""
    SELECT sa.service, sa.rate_class, coalesce(m.size, '') AS meter_size,
           CAST(count(DISTINCT a.customer_id) AS int) AS customers,
           CAST(count(DISTINCT sa.account_id) AS int) AS accounts,
           CAST(count(*) AS int) AS connections,
           CAST(coalesce(sum(p.dwelling_units), 0) AS int) AS dwelling_units
    FROM service_agreements sa
    JOIN premises p ON p.id = sa.premise_id
    LEFT JOIN accounts a ON a.id = sa.account_id
    LEFT JOIN meters m ON m.id = coalesce(sa.meter_id, (
        SELECT i.id FROM meters i WHERE i.premise_id = sa.premise_id
           AND i.status = 'installed' ORDER BY i.id LIMIT 1))
    WHERE sa.status <> 'pending' AND sa.start_date <= :e
      AND (sa.stop_date IS NULL OR sa.stop_date >= :e)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
""")


async def connections(s: AsyncSession, as_of: date) -> list[ConnectionRow]:
    return all_as(ConnectionRow, await s.execute(CONNECTIONS, {"e": as_of}))


@dataclass(frozen=True)
class DeliveredRow:
    month: int
    premise_kind: str
    hcf: Decimal


# Water delivered by month and premise kind, each volume line summed straight into its
# month and class (the agreement's class from a hash of them all). A month's bills read their
# lines by index (as BILLED), a year's in one hash join (a year is every line there is, where a
# million index probes cost twice the scan).
_DELIVERED = """
    WITH {entries}, {kinds}
    SELECT CAST(extract(month FROM e.posted_on) AS int) AS month,
           coalesce(k.kind, '') AS premise_kind, sum(e.sign * l.quantity) AS hcf
    FROM e {lines}
    LEFT JOIN kinds k ON k.id = l.sa_id
    WHERE l.kind = 'volume' AND l.service = ANY(CAST(:potable AS text[]))
    GROUP BY 1, 2 ORDER BY 1, 2
"""
DELIVERED_MONTH = text(_DELIVERED.format(
    entries=_BILL_ENTRIES, kinds=_KINDS, lines=_LINES_OF.format(where=_POTABLE_VOLUME)))
DELIVERED_YEAR = text(_DELIVERED.format(entries=_BILL_ENTRIES, kinds=_KINDS,
                                        lines="JOIN bill_lines l ON l.bill_id = e.bill_id"))


async def delivered(s: AsyncSession, start: date, end: date,
                    potable: tuple[str, ...]) -> list[DeliveredRow]:
    q = DELIVERED_MONTH if (end - start).days < 62 else DELIVERED_YEAR
    return all_as(DeliveredRow, await s.execute(q, {"s": start, "e": end,
                                                    "potable": list(potable)}))
