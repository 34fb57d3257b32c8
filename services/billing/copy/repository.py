"""All SQL of billing's copy of accounts data."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import first_as
from services.billing.copy.domain import COPY_TABLES


@dataclass(frozen=True)
class MeterFacts:
    status: str
    installed_at: date | None
    dials: int
    multiplier: Decimal


@dataclass(frozen=True)
class SaFacts:
    account_id: uuid.UUID
    premise_id: uuid.UUID
    meter_id: uuid.UUID | None
    start_date: date
    stop_date: date | None
    status: str


async def upsert_account(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO accounts (id, number, customer_id, status, mailing, language, paperless) "
        "VALUES (:id, :number, :customer_id, :status, CAST(:mailing AS jsonb), :language, "
        ":paperless) ON CONFLICT (id) DO UPDATE SET number = excluded.number, "
        "customer_id = excluded.customer_id, status = excluded.status, "
        "mailing = excluded.mailing, language = excluded.language, "
        "paperless = excluded.paperless"),
        {**r, "mailing": json.dumps(r["mailing"])})
    await s.execute(text(
        "UPDATE accounts a SET name = c.name FROM customers c "
        "WHERE a.id = :id AND c.id = a.customer_id"), {"id": r["id"]})


async def upsert_customer(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO customers (id, name, emails, paperless) VALUES (:id, :name, "
        "CAST(:emails AS jsonb), :paperless) ON CONFLICT (id) DO UPDATE SET name = "
        "excluded.name, emails = excluded.emails, paperless = excluded.paperless"),
        {**r, "emails": json.dumps(r["emails"])})
    await s.execute(text("UPDATE accounts SET name = :name WHERE customer_id = :id"), r)


async def upsert_premise(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO premises (id, kind, dwelling_units, cycle, route, address) VALUES "
        "(:id, :kind, :dwelling_units, :cycle, :route, CAST(:address AS jsonb)) "
        "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, dwelling_units = "
        "excluded.dwelling_units, cycle = excluded.cycle, route = excluded.route, "
        "address = excluded.address"), {**r, "address": json.dumps(r["address"])})


async def upsert_meter(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO meters (id, serial, size, dials, multiplier, unit, endpoint_id, status, "
        "premise_id, installed_at, install_read) VALUES (:id, :serial, :size, :dials, "
        ":multiplier, :unit, :endpoint_id, :status, :premise_id, :installed_at, :install_read) "
        "ON CONFLICT (id) DO UPDATE SET serial = excluded.serial, size = excluded.size, "
        "dials = excluded.dials, multiplier = excluded.multiplier, unit = excluded.unit, "
        "endpoint_id = excluded.endpoint_id, status = excluded.status, premise_id = "
        "excluded.premise_id, installed_at = excluded.installed_at, install_read = "
        "excluded.install_read"), r)


async def meter_facts(s: AsyncSession, meter_id: object) -> MeterFacts | None:
    """What reads are judged on, as the copy has it now (None: not heard of)."""
    return first_as(MeterFacts, await s.execute(text(
        "SELECT status, installed_at, dials, multiplier FROM meters WHERE id = :id"),
        {"id": meter_id}))


async def sa_facts(s: AsyncSession, sa_id: object) -> SaFacts | None:
    """What reads and bill runs are judged on, as the copy has it now (None: not heard of)."""
    return first_as(SaFacts, await s.execute(text(
        "SELECT account_id, premise_id, meter_id, start_date, stop_date, status "
        "FROM service_agreements WHERE id = :id"), {"id": sa_id}))


async def upsert_sa(s: AsyncSession, r: Mapping[str, object]) -> None:
    await s.execute(text(
        "INSERT INTO service_agreements (id, account_id, premise_id, service, rate_class, "
        "meter_id, start_date, stop_date, status) VALUES (:id, :account_id, :premise_id, "
        ":service, :rate_class, :meter_id, :start_date, :stop_date, :status) "
        "ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, premise_id = "
        "excluded.premise_id, service = excluded.service, rate_class = excluded.rate_class, "
        "meter_id = excluded.meter_id, start_date = excluded.start_date, stop_date = "
        "excluded.stop_date, status = excluded.status"), r)


async def clear_copy(s: AsyncSession) -> None:
    for table in COPY_TABLES:
        await s.execute(text(f"DELETE FROM {table}"))


_CHECK = {
    "accounts": "id::text || '|' || number || '|' || status",
    "premises": "id::text || '|' || cycle || '|' || route || '|' || dwelling_units::text",
    "meters": "id::text || '|' || size || '|' || dials::text || '|' || "
              "trim_scale(multiplier)::text || '|' || status",
    "service_agreements": "id::text || '|' || service || '|' || rate_class || '|' || status || "
                          "'|' || start_date::text || '|' || coalesce(stop_date::text, '')",
}


async def fingerprints(s: AsyncSession) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for table, expr in _CHECK.items():
        row = (await s.execute(text(
            f"SELECT count(*) AS n, md5(coalesce(string_agg({expr}, E'\\n' ORDER BY id), '')) "
            f"AS h FROM {table}"))).one()
        out[table] = (int(row.n), str(row.h))
    return out
