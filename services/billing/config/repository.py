"""All SQL of billing-wide configuration (`config`: one JSON document per key)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


async def get_config(s: AsyncSession, key: str) -> dict[str, Any] | None:
    value = (await s.execute(text("SELECT value FROM config WHERE key = :k"),
                             {"k": key})).scalar_one_or_none()
    return None if value is None else dict(value)


async def put_config(s: AsyncSession, key: str, value: dict[str, Any]) -> None:
    await s.execute(text(
        "INSERT INTO config (key, value) VALUES (:k, CAST(:v AS jsonb)) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"k": key, "v": json.dumps(value)})
