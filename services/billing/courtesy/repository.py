"""All SQL of courtesy calls: the worklist of reads flagged high (derived from reads, their
exceptions and billing's copy of accounts, read-only) and the calls (`courtesy_calls`)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as, first_as


@dataclass(frozen=True)
class Flagged:
    """A read with a `high` exception, the account that held its meter on the read's date, and
    the three bases of validation as of that date (as `reads.repository.context_row` takes
    them)."""

    read_id: uuid.UUID
    exception_id: uuid.UUID
    exception_status: str
    exception_resolution: str | None
    detail: str
    read_on: date
    value: Decimal
    usage: Decimal | None
    days: int | None
    meter_id: uuid.UUID
    serial: str
    unit: str
    premise_id: uuid.UUID
    cycle: str
    route: str
    address: str
    account_id: uuid.UUID
    account_number: str
    customer_name: str
    prior_per_day: Decimal | None
    last_year_per_day: Decimal | None
    avg_per_day: Decimal | None
    open_leak_alert: bool


@dataclass(frozen=True)
class Call:
    id: uuid.UUID
    read_id: uuid.UUID
    account_id: uuid.UUID
    outcome: str
    note: str | None
    service_order_id: uuid.UUID | None
    service_order_number: int | None
    called_by: str
    called_at: datetime


_FLAGGED = """
SELECT r.id AS read_id, e.id AS exception_id, e.status AS exception_status,
       e.resolution AS exception_resolution, e.detail, r.read_on, r.value, r.usage, r.days,
       m.id AS meter_id, m.serial, m.unit, p.id AS premise_id, p.cycle, p.route,
       concat_ws(', ', nullif(p.address->>'line1', ''), nullif(p.address->>'line2', ''),
                 nullif(p.address->>'city', '')) AS address,
       sa.account_id, a.number AS account_number,
       coalesce(nullif(c.name, ''), a.name) AS customer_name,
       prev.per_day AS prior_per_day, ly.per_day AS last_year_per_day,
       av.per_day AS avg_per_day,
       EXISTS (SELECT 1 FROM leak_alerts la WHERE la.meter_id = m.id
                 AND la.account_id = sa.account_id AND la.status = 'open') AS open_leak_alert
FROM read_exceptions e
JOIN reads r ON r.id = e.read_id AND r.status <> 'rejected'
JOIN meters m ON m.id = r.meter_id
JOIN premises p ON p.id = m.premise_id
JOIN LATERAL (
    SELECT x.account_id FROM service_agreements x
    WHERE (x.meter_id = m.id OR (x.meter_id IS NULL AND x.premise_id = m.premise_id))
      AND x.start_date <= r.read_on AND (x.stop_date IS NULL OR x.stop_date >= r.read_on)
      AND x.status <> 'pending'
    ORDER BY x.service = 'water' DESC, x.start_date DESC LIMIT 1
) sa ON true
JOIN accounts a ON a.id = sa.account_id
LEFT JOIN customers c ON c.id = a.customer_id
LEFT JOIN LATERAL (
    SELECT q.usage / nullif(q.days, 0) AS per_day FROM reads q
    WHERE q.meter_id = m.id AND q.read_on < r.read_on AND q.status <> 'rejected'
    ORDER BY q.read_on DESC, q.created_at DESC LIMIT 1
) prev ON true
LEFT JOIN LATERAL (
    SELECT sum(q.usage) / nullif(sum(q.days), 0) AS per_day FROM reads q
    WHERE q.meter_id = m.id AND q.status = 'valid' AND q.kind = 'actual' AND q.days > 0
      AND q.read_on BETWEEN r.read_on - 380 AND r.read_on - 350
) ly ON true
LEFT JOIN LATERAL (
    SELECT sum(q.usage) / nullif(sum(q.days), 0) AS per_day FROM reads q
    WHERE q.meter_id = m.id AND q.status = 'valid' AND q.kind = 'actual' AND q.days > 0
      AND q.read_on >= r.read_on - 365 AND q.read_on < r.read_on
) av ON true
WHERE e.code = 'high' AND {where}
ORDER BY r.read_on DESC, p.route, m.serial
"""


async def flagged(s: AsyncSession, since: date, through: date, cycle: str | None,
                  account_id: uuid.UUID | None) -> list[Flagged]:
    """Reads flagged high read in [since, through] (of a cycle, of an account)."""
    return all_as(Flagged, await s.execute(text(_FLAGGED.format(
        where="r.read_on BETWEEN :since AND :through "
              "AND (CAST(:cycle AS text) IS NULL OR p.cycle = :cycle) "
              "AND (CAST(:acct AS uuid) IS NULL OR sa.account_id = :acct)")),
        {"since": since, "through": through, "cycle": cycle, "acct": account_id}))


async def flagged_read(s: AsyncSession, read_id: uuid.UUID) -> Flagged | None:
    return first_as(Flagged, await s.execute(text(_FLAGGED.format(where="r.id = :id")),
                                             {"id": read_id}))


async def calls_of(s: AsyncSession, read_ids: list[uuid.UUID]) -> list[Call]:
    """Every call about these reads, oldest first."""
    return all_as(Call, await s.execute(text(
        "SELECT id, read_id, account_id, outcome, note, service_order_id, service_order_number, "
        "called_by, called_at FROM courtesy_calls WHERE read_id = ANY(:ids) "
        "ORDER BY called_at, id"), {"ids": read_ids}))


async def lock_read(s: AsyncSession, read_id: uuid.UUID) -> None:
    """Calls about one read are recorded one at a time (a closed item stays closed once)."""
    await s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 15))"),
                    {"k": f"billing-courtesy:{read_id}"})


async def insert_call(s: AsyncSession, c: Mapping[str, object]) -> Call:
    row = first_as(Call, await s.execute(text(
        "INSERT INTO courtesy_calls (id, read_id, account_id, outcome, note, service_order_id, "
        "service_order_number, called_by, called_at) VALUES (:id, :read_id, :account_id, "
        ":outcome, :note, :service_order_id, :service_order_number, :called_by, :called_at) "
        "RETURNING id, read_id, account_id, outcome, note, service_order_id, "
        "service_order_number, called_by, called_at"), c))
    assert row is not None
    return row
