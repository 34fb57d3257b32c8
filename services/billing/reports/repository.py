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
_BILL_ENTRIES = """
    e AS MATERIALIZED (
        SELECT account_id, posted_on, CASE kind WHEN 'bill' THEN 1 ELSE -1 END AS sign,
               CAST(reference AS uuid) AS bill_id
        FROM ledger_entries
        WHERE kind IN ('bill', 'bill_cancel') AND posted_on BETWEEN :s AND :e
    )"""

# The meter an agreement bills by: its own, else the premise's installed meter (as a run
# finds it, runs.repository); the lookup runs only for an agreement without one.
_METER = """
    LEFT JOIN meters m ON m.id = coalesce(sa.meter_id, (
        SELECT i.id FROM meters i WHERE i.premise_id = sa.premise_id
           AND i.status = 'installed' ORDER BY i.id LIMIT 1))"""


@dataclass(frozen=True)
class BilledRow:
    service: str
    rate_class: str
    meter_size: str
    bills: int
    consumption: Decimal
    revenue: Decimal


# Lines are summed per bill and agreement first, so the agreement and its meter are looked
# up once per agreement billed, not once per line; a bill's lines are read by its index
# (LATERAL), so the month's report reads the month's lines and not the year's: at 10,000
# accounts with a year of history a hash join read all 543,467 lines for 44,800.
BILLED = text(f"""
    WITH {_BILL_ENTRIES},
    per AS (
        SELECT e.sign, e.bill_id, x.* FROM e CROSS JOIN LATERAL (
            SELECT l.sa_id, l.service, l.rate_class,
                   coalesce(sum(l.quantity) FILTER (WHERE l.kind = 'volume'), 0) AS qty,
                   sum(l.amount) AS amount
            FROM bill_lines l WHERE l.bill_id = e.bill_id
            GROUP BY 1, 2, 3) x
    ),
    sized AS (
        SELECT per.*, coalesce(m.size, '') AS meter_size
        FROM per LEFT JOIN service_agreements sa ON sa.id = per.sa_id
        {_METER}
    )
    SELECT service, rate_class, meter_size,
           CAST(count(DISTINCT bill_id) FILTER (WHERE sign = 1)
                - count(DISTINCT bill_id) FILTER (WHERE sign = -1) AS int) AS bills,
           sum(sign * qty) AS consumption, sum(sign * amount) AS revenue
    FROM sized GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
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
ENTRIES = text("""
    WITH e AS MATERIALIZED (
        SELECT id, kind, amount, created_by,
               CASE WHEN kind IN ('bill', 'bill_cancel') THEN CAST(reference AS uuid)
               END AS bill_id
        FROM ledger_entries
        WHERE posted_on BETWEEN :s AND :e AND kind NOT IN ('payment', 'payment_reversal')
    )
    SELECT e.kind,
           coalesce(a.reason_code,
                    CASE e.kind WHEN 'bill' THEN r.kind || ' bill'
                                WHEN 'bill_cancel' THEN coalesce(b.cancel_reason, 'cancelled')
                    END, '') AS reason,
           coalesce(a.approved_by, r.approved_by, e.created_by) AS approved_by,
           CAST(count(*) AS int) AS entries,
           coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0.00) AS charges,
           coalesce(sum(e.amount) FILTER (WHERE e.amount < 0), 0.00) AS credits
    FROM e
    LEFT JOIN adjustments a ON a.entry_id = e.id
    LEFT JOIN bills b ON b.id = e.bill_id
    LEFT JOIN bills nb ON e.kind = 'bill_cancel' AND nb.id = b.replaced_by
    LEFT JOIN bill_runs r ON r.id = CASE e.kind WHEN 'bill' THEN b.run_id ELSE nb.run_id END
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
        SELECT e.account_id, NULL AS cycle, 'zero_consumption' AS reason
        FROM e CROSS JOIN LATERAL (
            SELECT sum(l.quantity) AS qty FROM bill_lines l
            WHERE l.bill_id = e.bill_id AND l.kind = 'volume'
              AND l.service = ANY(CAST(:potable AS text[]))
            HAVING count(*) > 0) x
        GROUP BY e.account_id HAVING sum(e.sign * x.qty) = 0 AND sum(e.sign) > 0
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


CONNECTIONS = text(f"""
    SELECT sa.service, sa.rate_class, coalesce(m.size, '') AS meter_size,
           CAST(count(DISTINCT a.customer_id) AS int) AS customers,
           CAST(count(DISTINCT sa.account_id) AS int) AS accounts,
           CAST(count(*) AS int) AS connections,
           CAST(coalesce(sum(p.dwelling_units), 0) AS int) AS dwelling_units
    FROM service_agreements sa
    JOIN premises p ON p.id = sa.premise_id
    LEFT JOIN accounts a ON a.id = sa.account_id
    {_METER}
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


# Water delivered by month and premise kind: a month's bills read their lines by index
# (LATERAL, as BILLED), a year's in one hash join (a year is every line there is, where a
# million index probes cost twice the scan).
_DELIVERED = """
    WITH {entries},
    per AS (
        SELECT CAST(extract(month FROM e.posted_on) AS int) AS month, x.sa_id,
               sum(e.sign * x.qty) AS hcf
        FROM e {lines}
        GROUP BY 1, 2
    )
    SELECT per.month, coalesce(p.kind, '') AS premise_kind, sum(per.hcf) AS hcf
    FROM per LEFT JOIN service_agreements sa ON sa.id = per.sa_id
    LEFT JOIN premises p ON p.id = sa.premise_id
    GROUP BY 1, 2 ORDER BY 1, 2
"""
DELIVERED_MONTH = text(_DELIVERED.format(entries=_BILL_ENTRIES, lines="""
    CROSS JOIN LATERAL (
        SELECT l.sa_id, sum(l.quantity) AS qty FROM bill_lines l
        WHERE l.bill_id = e.bill_id AND l.kind = 'volume'
          AND l.service = ANY(CAST(:potable AS text[]))
        GROUP BY 1) x"""))
DELIVERED_YEAR = text(_DELIVERED.format(entries=_BILL_ENTRIES, lines="""
    JOIN (SELECT bill_id, sa_id, quantity AS qty FROM bill_lines
          WHERE kind = 'volume' AND service = ANY(CAST(:potable AS text[]))) x
      ON x.bill_id = e.bill_id"""))


async def delivered(s: AsyncSession, start: date, end: date,
                    potable: tuple[str, ...]) -> list[DeliveredRow]:
    q = DELIVERED_MONTH if (end - start).days < 62 else DELIVERED_YEAR
    return all_as(DeliveredRow, await s.execute(q, {"s": start, "e": end,
                                                    "potable": list(potable)}))
