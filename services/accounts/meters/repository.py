"""All SQL for meters and their history."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.common import as_model, as_model_or_none, as_models
from services.accounts.meters.schemas import HistoryEntry, MeterOut

_COLS = ("id, serial, size, kind, dials, multiplier, unit, endpoint_id, status, premise_id, "
         "installed_at, install_read, removed_at, removal_read")


async def insert(session: AsyncSession, values: dict[str, Any]) -> MeterOut | None:
    """The new meter, or None when its serial exists."""
    return as_model_or_none(MeterOut, (await session.execute(
        text("INSERT INTO meters (id, serial, size, kind, dials, multiplier, unit, endpoint_id) "
             "VALUES (:id, :serial, :size, :kind, :dials, :multiplier, :unit, :endpoint_id) "
             f"ON CONFLICT (serial) DO NOTHING RETURNING {_COLS}"),
        values,
    )).first())


async def get(session: AsyncSession, meter_id: uuid.UUID,
              lock: bool = False) -> MeterOut | None:
    suffix = " FOR UPDATE" if lock else ""
    return as_model_or_none(MeterOut, (await session.execute(
        text(f"SELECT {_COLS} FROM meters WHERE id = :id{suffix}"), {"id": meter_id})).first())


async def installed_at_premise(session: AsyncSession, premise_id: uuid.UUID) -> list[MeterOut]:
    return as_models(MeterOut, (await session.execute(
        text(f"SELECT {_COLS} FROM meters WHERE premise_id = :p AND status = 'installed' "
             "ORDER BY serial"), {"p": premise_id})).all())


async def set_installed(session: AsyncSession, meter_id: uuid.UUID, premise_id: uuid.UUID,
                        on: date, read: Decimal) -> MeterOut:
    return as_model(MeterOut, (await session.execute(
        text("UPDATE meters SET status = 'installed', premise_id = :p, installed_at = :d, "
             "install_read = :r, removed_at = NULL, removal_read = NULL, updated_at = now() "
             f"WHERE id = :id RETURNING {_COLS}"),
        {"id": meter_id, "p": premise_id, "d": on, "r": read},
    )).one())


async def set_removed(session: AsyncSession, meter_id: uuid.UUID, on: date,
                      read: Decimal) -> MeterOut:
    return as_model(MeterOut, (await session.execute(
        text("UPDATE meters SET status = 'removed', removed_at = :d, removal_read = :r, "
             f"updated_at = now() WHERE id = :id RETURNING {_COLS}"),
        {"id": meter_id, "d": on, "r": read},
    )).one())


async def add_history(session: AsyncSession, meter_id: uuid.UUID, premise_id: uuid.UUID | None,
                      action: str, on: date, read: Decimal | None, note: str | None,
                      actor: str) -> None:
    await session.execute(
        text("INSERT INTO meter_history (meter_id, premise_id, action, on_date, read_value, "
             "note, actor) VALUES (:m, :p, :a, :d, :r, :n, :actor)"),
        {"m": meter_id, "p": premise_id, "a": action, "d": on, "r": read, "n": note,
         "actor": actor},
    )


async def history(session: AsyncSession, meter_id: uuid.UUID) -> list[HistoryEntry]:
    return as_models(HistoryEntry, (await session.execute(
        text("SELECT action, premise_id, on_date, read_value, note, actor, at "
             "FROM meter_history WHERE meter_id = :m ORDER BY id"), {"m": meter_id})).all())


async def listing(session: AsyncSession, status: str | None, size: str | None,
                  limit: int) -> list[MeterOut]:
    return as_models(MeterOut, (await session.execute(
        text(f"SELECT {_COLS} FROM meters WHERE (CAST(:s AS text) IS NULL OR status = :s) "
             "AND (CAST(:z AS text) IS NULL OR size = :z) ORDER BY serial LIMIT :n"),
        {"s": status, "z": size, "n": limit})).all())
