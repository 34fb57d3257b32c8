"""All SQL of billing-wide configuration (`config`: one JSON document per key)."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

#: A saved JSON document (an object at the top).
Document = dict[str, object]


async def get_config(s: AsyncSession, key: str) -> Document | None:
    value = (await s.execute(text("SELECT value FROM config WHERE key = :k"),
                             {"k": key})).scalar_one_or_none()
    return None if value is None else dict(value)


async def put_config(s: AsyncSession, key: str, value: Document) -> None:
    await s.execute(text(
        "INSERT INTO config (key, value) VALUES (:k, CAST(:v AS jsonb)) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"k": key, "v": json.dumps(value)})
