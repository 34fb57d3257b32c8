"""All SQL for premises."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.accounts.common import as_model, as_model_or_none, as_models
from services.accounts.premises.schemas import ParcelConnection, PremiseOut

_COLS = ("id, address, apn, kind, dwelling_units, cycle, route, latitude, longitude, "
         "location_note, owner_account_id")


async def insert(session: AsyncSession, values: dict[str, Any]) -> PremiseOut:
    values = {**values, "address": json.dumps(values["address"])}
    return as_model(PremiseOut, (await session.execute(
        text("INSERT INTO premises (id, address, apn, kind, dwelling_units, cycle, route, "
             "latitude, longitude, location_note) VALUES (:id, CAST(:address AS jsonb), :apn, "
             ":kind, :dwelling_units, :cycle, :route, :latitude, :longitude, :location_note) "
             f"RETURNING {_COLS}"),
        values,
    )).one())


async def get(session: AsyncSession, premise_id: uuid.UUID,
              lock: bool = False) -> PremiseOut | None:
    suffix = " FOR UPDATE" if lock else ""
    return as_model_or_none(PremiseOut, (await session.execute(
        text(f"SELECT {_COLS} FROM premises WHERE id = :id{suffix}"), {"id": premise_id}
    )).first())


async def update(session: AsyncSession, premise_id: uuid.UUID,
                 values: dict[str, Any]) -> PremiseOut:
    sets = ", ".join(f"{k} = :{k}" for k in values)
    return as_model(PremiseOut, (await session.execute(
        text(f"UPDATE premises SET {sets}, updated_at = now() WHERE id = :id RETURNING {_COLS}"),
        {**values, "id": premise_id},
    )).one())


async def parcel_connections(session: AsyncSession, apn: str) -> list[ParcelConnection]:
    return as_models(ParcelConnection, (await session.execute(
        text("SELECT p.id AS premise_id, p.address, p.kind, p.dwelling_units, "
             "m.id AS meter_id, m.serial AS meter_serial, m.size AS meter_size "
             "FROM premises p LEFT JOIN meters m ON m.premise_id = p.id "
             "AND m.status = 'installed' WHERE p.apn = :apn "
             "ORDER BY p.address->>'line1', p.address->>'line2', m.serial"),
        {"apn": apn},
    )).all())
