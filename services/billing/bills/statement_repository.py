"""All SQL of statements: everything a set of bills prints, a handful of set-based queries for
one bill or a whole run's print file (no query per bill)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as


@dataclass(frozen=True, slots=True)
class SBill:
    id: uuid.UUID
    run_id: uuid.UUID
    account_id: uuid.UUID
    period_start: date
    period_end: date
    bill_date: date | None
    due_date: date | None
    status: str
    total: Decimal
    messages: list[str]
    account_number: str | None
    name: str | None
    mailing: dict[str, Any] | None
    language: str | None
    paperless: bool
    cycle: str | None
    autopay: str | None
    budget: Decimal | None


@dataclass(frozen=True, slots=True)
class SLine:
    bill_id: uuid.UUID
    sa_id: uuid.UUID
    service: str
    rate_class: str
    kind: str
    description: str
    seg_start: date
    seg_end: date
    quantity: Decimal
    unit_price: Decimal
    tier: int | None
    amount: Decimal
    version_name: str
    drought_stage: int | None
    lower: Decimal | None
    width: Decimal | None
    widths_per_unit: bool
    basis: str | None
    units: int
    premise_address: dict[str, Any] | None
    meter_id: uuid.UUID | None
    serial: str | None
    size: str | None
    unit: str | None
    install_read: Decimal | None
    installed_at: date | None


@dataclass(frozen=True, slots=True)
class SRead:
    bill_id: uuid.UUID
    meter_id: uuid.UUID
    cur_value: Decimal | None
    cur_on: date | None
    cur_kind: str | None
    prev_value: Decimal | None
    prev_on: date | None
    prev_kind: str | None
    used: Decimal | None


@dataclass(frozen=True, slots=True)
class SEntry:
    account_id: uuid.UUID
    seq: int
    kind: str
    amount: Decimal
    posted_on: date
    due_date: date | None
    reference: str | None


@dataclass(frozen=True, slots=True)
class SPeriod:
    bill_id: uuid.UUID
    period_start: date
    period_end: date
    qty: Decimal


@dataclass(slots=True)
class BillData:
    """One bill's rows: what `statement_compose.compose` needs besides the district."""

    bill: SBill
    lines: list[SLine]
    reads: list[SRead]
    entries: list[SEntry]
    history: list[SPeriod]


_BILLS = text("""
    SELECT b.id, b.run_id, b.account_id, b.period_start, b.period_end, b.bill_date, b.due_date,
           b.status, b.total, b.messages, a.number AS account_number, a.name, a.mailing,
           a.language, coalesce(a.paperless OR c.paperless, false) AS paperless, r.cycle,
           ap.display AS autopay, bp.monthly_amount AS budget
    FROM bills b LEFT JOIN accounts a ON a.id = b.account_id
    LEFT JOIN customers c ON c.id = a.customer_id
    LEFT JOIN bill_runs r ON r.id = b.run_id
    LEFT JOIN statement_autopay ap ON ap.account_id = b.account_id AND ap.active
    LEFT JOIN budget_plans bp ON bp.account_id = b.account_id AND bp.status = 'active'
    WHERE b.id = ANY(:ids)
""")

_LINES = text("""
    SELECT l.bill_id, l.sa_id, l.service, l.rate_class, l.kind, l.description, l.seg_start,
           l.seg_end, l.quantity, l.unit_price, l.tier, l.amount,
           coalesce(v.name, '') AS version_name, v.drought_stage, bl.lower, bl.width,
           coalesce(rc.widths_per_unit, false) AS widths_per_unit, rc.basis,
           coalesce(p.dwelling_units, 1) AS units, p.address AS premise_address,
           m.id AS meter_id, m.serial, m.size, m.unit, m.install_read, m.installed_at
    FROM bill_lines l
    LEFT JOIN rate_versions v ON v.id = l.rate_version_id
    LEFT JOIN rate_blocks bl ON bl.version_id = l.rate_version_id AND bl.service = l.service
         AND bl.rate_class = l.rate_class AND bl.tier = l.tier
    LEFT JOIN rate_classes rc ON rc.version_id = l.rate_version_id AND rc.service = l.service
         AND rc.rate_class = l.rate_class
    LEFT JOIN service_agreements sa ON sa.id = l.sa_id
    LEFT JOIN premises p ON p.id = sa.premise_id
    LEFT JOIN meters m ON m.id = coalesce(sa.meter_id, (
        SELECT m2.id FROM meters m2 WHERE m2.premise_id = sa.premise_id
          AND m2.status = 'installed' ORDER BY m2.id LIMIT 1))
    WHERE l.bill_id = ANY(:ids)
    ORDER BY l.bill_id, l.service DESC, l.sa_id, l.seg_start, l.kind, l.tier NULLS FIRST
""")

# The reads the bill used (valid reads dated in the period, as the run sums them) and the last
# valid read before the period.
_READS = text("""
    SELECT w.bill_id, w.meter_id, cur.value AS cur_value, cur.read_on AS cur_on,
           cur.kind AS cur_kind, prev.value AS prev_value, prev.read_on AS prev_on,
           prev.kind AS prev_kind, used.qty AS used
    FROM unnest(CAST(:bills AS uuid[]), CAST(:meters AS uuid[]), CAST(:ps AS date[]),
                CAST(:pe AS date[])) AS w(bill_id, meter_id, ps, pe)
    LEFT JOIN LATERAL (SELECT r.value, r.read_on, r.kind FROM reads r
                       WHERE r.meter_id = w.meter_id AND r.status = 'valid'
                         AND r.read_on BETWEEN w.ps AND w.pe
                       ORDER BY r.read_on DESC, r.created_at DESC LIMIT 1) cur ON true
    LEFT JOIN LATERAL (SELECT r.value, r.read_on, r.kind FROM reads r
                       WHERE r.meter_id = w.meter_id AND r.status = 'valid' AND r.read_on < w.ps
                       ORDER BY r.read_on DESC, r.created_at DESC LIMIT 1) prev ON true
    LEFT JOIN LATERAL (SELECT sum(r.usage) AS qty FROM reads r
                       WHERE r.meter_id = w.meter_id AND r.status = 'valid'
                         AND r.usage IS NOT NULL AND r.read_on BETWEEN w.ps AND w.pe) used ON true
""")

_ENTRIES = text("""
    SELECT account_id, seq, kind, amount, posted_on, due_date, reference FROM ledger_entries
    WHERE account_id = ANY(:accounts) ORDER BY account_id, seq
""")

# The last 13 periods up to this bill's (the bill itself included while it is a draft): the
# chart's bars, the same period last year among them.
_HISTORY = text("""
    SELECT x.bill_id, h.period_start, h.period_end, h.qty
    FROM unnest(CAST(:bills AS uuid[]), CAST(:accounts AS uuid[]), CAST(:pe AS date[]))
         AS x(bill_id, account_id, pe)
    CROSS JOIN LATERAL (
        SELECT b.period_start, b.period_end,
               coalesce(sum(l.quantity) FILTER (WHERE l.kind = 'volume'
                        AND l.service <> 'wastewater'), 0) AS qty
        FROM bills b LEFT JOIN bill_lines l ON l.bill_id = b.id
        WHERE b.account_id = x.account_id AND b.period_end <= x.pe
          AND (b.status = 'final' OR b.id = x.bill_id)
        GROUP BY b.id, b.period_start, b.period_end ORDER BY b.period_end DESC LIMIT 13) h
    ORDER BY x.bill_id, h.period_end
""")


async def load(s: AsyncSession, bill_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, BillData]:
    """Every bill's rows, in five queries however many bills."""
    ids = list(bill_ids)
    bills = all_as(SBill, await s.execute(_BILLS, {"ids": ids}))
    if not bills:
        return {}
    out = {b.id: BillData(b, [], [], [], []) for b in bills}
    for ln in all_as(SLine, await s.execute(_LINES, {"ids": ids})):
        out[ln.bill_id].lines.append(ln)
    meters = {(d.bill.id, ln.meter_id) for d in out.values() for ln in d.lines
              if ln.meter_id is not None and ln.service != "fire_line"}
    if meters:
        b_ids, m_ids = zip(*sorted(meters, key=str), strict=True)
        rows = all_as(SRead, await s.execute(_READS, {
            "bills": list(b_ids), "meters": list(m_ids),
            "ps": [out[b].bill.period_start for b in b_ids],
            "pe": [out[b].bill.period_end for b in b_ids]}))
        for r in rows:
            out[r.bill_id].reads.append(r)
    by_account: dict[uuid.UUID, list[SEntry]] = defaultdict(list)
    for e in all_as(SEntry, await s.execute(_ENTRIES, {
            "accounts": list({b.account_id for b in bills})})):
        by_account[e.account_id].append(e)
    for d in out.values():
        d.entries = by_account.get(d.bill.account_id, [])
    for p in all_as(SPeriod, await s.execute(_HISTORY, {
            "bills": [b.id for b in bills], "accounts": [b.account_id for b in bills],
            "pe": [b.period_end for b in bills]})):
        out[p.bill_id].history.append(p)
    return out


async def run_bill_ids(s: AsyncSession, run_id: uuid.UUID) -> list[uuid.UUID] | None:
    """A run's final bills to print: paper customers only (paperless ones get the e-bill);
    None when there is no such run."""
    if (await s.execute(text("SELECT 1 FROM bill_runs WHERE id = :r"),
                        {"r": run_id})).first() is None:
        return None
    return [r[0] for r in (await s.execute(text(
        "SELECT b.id FROM bills b JOIN accounts a ON a.id = b.account_id "
        "LEFT JOIN customers c ON c.id = a.customer_id WHERE b.run_id = :r "
        "AND b.status = 'final' AND NOT coalesce(a.paperless OR c.paperless, false) "
        "ORDER BY b.id"), {"r": run_id})).all()]


async def set_autopay(s: AsyncSession, account_id: uuid.UUID, display: str | None,
                      active: bool) -> None:
    """Billing's copy of an account's autopay (payments announces it)."""
    await s.execute(text(
        "INSERT INTO statement_autopay (account_id, display, active) VALUES (:a, :d, :on) "
        "ON CONFLICT (account_id) DO UPDATE SET display = excluded.display, "
        "active = excluded.active"), {"a": account_id, "d": display or "", "on": active})
