"""All SQL for service agreements (the only writer of `service_agreements`)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.agreements.schemas import SAOut
from services.accounts.common import as_model, as_model_or_none, as_models

_COLS = ("id, account_id, premise_id, service, rate_class, meter_id, start_date, stop_date, "
         "status, owner_reversion")


async def insert(session: AsyncSession, values: dict[str, Any]) -> SAOut:
    return as_model(SAOut, (await session.execute(
        text("INSERT INTO service_agreements (id, account_id, premise_id, service, rate_class, "
             "meter_id, start_date, status, owner_reversion) VALUES (:id, :account_id, "
             ":premise_id, :service, :rate_class, :meter_id, :start_date, 'active', "
             f":owner_reversion) RETURNING {_COLS}"),
        values,
    )).one())


async def get(session: AsyncSession, sa_id: uuid.UUID, lock: bool = False) -> SAOut | None:
    suffix = " FOR UPDATE" if lock else ""
    return as_model_or_none(SAOut, (await session.execute(
        text(f"SELECT {_COLS} FROM service_agreements WHERE id = :id{suffix}"), {"id": sa_id}
    )).first())


async def active_of_account(session: AsyncSession, account_id: uuid.UUID,
                            premise_id: uuid.UUID | None) -> list[SAOut]:
    return as_models(SAOut, (await session.execute(
        text(f"SELECT {_COLS} FROM service_agreements WHERE account_id = :a "
             "AND status = 'active' AND (CAST(:p AS uuid) IS NULL OR premise_id = :p) "
             "ORDER BY premise_id, service FOR UPDATE"),
        {"a": account_id, "p": premise_id},
    )).all())


async def active_at_premise(session: AsyncSession, premise_id: uuid.UUID) -> list[SAOut]:
    return as_models(SAOut, (await session.execute(
        text(f"SELECT {_COLS} FROM service_agreements WHERE premise_id = :p "
             "AND status = 'active' ORDER BY service FOR UPDATE"), {"p": premise_id})).all())


async def of_account(session: AsyncSession, account_id: uuid.UUID) -> list[SAOut]:
    return as_models(SAOut, (await session.execute(
        text(f"SELECT {_COLS} FROM service_agreements WHERE account_id = :a "
             "ORDER BY start_date DESC, service"), {"a": account_id})).all())


async def count_active(session: AsyncSession, account_id: uuid.UUID) -> int:
    return int((await session.execute(
        text("SELECT count(*) FROM service_agreements WHERE account_id = :a "
             "AND status = 'active'"), {"a": account_id})).scalar_one())


async def stop(session: AsyncSession, sa_id: uuid.UUID, on: date) -> SAOut:
    return as_model(SAOut, (await session.execute(
        text("UPDATE service_agreements SET status = 'stopped', stop_date = :d, "
             f"updated_at = now() WHERE id = :id RETURNING {_COLS}"),
        {"id": sa_id, "d": on},
    )).one())


async def set_rate_class(session: AsyncSession, sa_id: uuid.UUID, rate_class: str) -> SAOut:
    return as_model(SAOut, (await session.execute(
        text("UPDATE service_agreements SET rate_class = :r, updated_at = now() "
             f"WHERE id = :id RETURNING {_COLS}"),
        {"id": sa_id, "r": rate_class},
    )).one())


async def repoint_meter(session: AsyncSession, old: uuid.UUID, new: uuid.UUID) -> list[SAOut]:
    """Active agreements read by meter `old` are now read by `new`; returns them, as changed."""
    return as_models(SAOut, (await session.execute(
        text("UPDATE service_agreements SET meter_id = :new, updated_at = now() "
             f"WHERE meter_id = :old AND status = 'active' RETURNING {_COLS}"),
        {"old": old, "new": new},
    )).all())
