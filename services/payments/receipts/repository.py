"""All SQL of receipts: the name of the payer as payments' copy has it."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


async def account_name(s: AsyncSession, account_id: uuid.UUID) -> str:
    r = (await s.execute(text("SELECT name FROM accounts WHERE id = :a"),
                         {"a": account_id})).first()
    return "" if r is None else str(r.name)
