"""The audit trail: who asked, who approved, what changed and why. Append-only by grant."""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.logs import request_id_var

_INSERT = text(
    "INSERT INTO audit_log (actor, actor_role, approver, action, entity, entity_id, before, "
    "after, reason, request_id) VALUES (:actor, :role, :approver, :action, :entity, :entity_id, "
    "CAST(:before AS jsonb), CAST(:after AS jsonb), :reason, :rid)"
)


def _doc(value: Any) -> str | None:
    return None if value is None else json.dumps(to_jsonable_python(value))


async def record(
    session: AsyncSession,
    who: Principal,
    action: str,
    entity: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    approver: str | None = None,
) -> None:
    await session.execute(
        _INSERT,
        {"actor": who.sub, "role": who.role, "approver": approver, "action": action,
         "entity": entity, "entity_id": entity_id, "before": _doc(before), "after": _doc(after),
         "reason": reason, "rid": request_id_var.get()},
    )
