"""Operations on a service's parked (dead-lettered) events, for administrators.

Each service serves these under its own prefix; `tapline events ...` calls the same functions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import NotFound, problem_responses

Admin = Annotated[Principal, Depends(require_roles("admin"))]


class ParkedEvent(BaseModel):
    event_id: uuid.UUID
    source: str
    type: str
    version: int
    key: str
    key_seq: int
    attempts: int
    last_error: str | None
    received_at: datetime
    payload: dict[str, Any]


class ReplayResult(BaseModel):
    replayed: int


async def list_parked(session: AsyncSession, limit: int = 100) -> list[ParkedEvent]:
    rows = (
        await session.execute(
            text(
                "SELECT event_id, source, type, version, key, key_seq, attempts, last_error, "
                "received_at, payload FROM inbox WHERE status = 'parked' "
                "ORDER BY received_at LIMIT :n"
            ),
            {"n": limit},
        )
    ).all()
    return [ParkedEvent.model_validate(r._asdict()) for r in rows]


async def replay(session: AsyncSession, event_id: uuid.UUID | None) -> int:
    """Put parked events back in line (one, or all): attempts reset, their keys unblocked."""
    where = "status = 'parked'" + (" AND event_id = :id" if event_id else "")
    rows = (
        await session.execute(
            text(
                f"UPDATE inbox SET status = 'pending', attempts = 0, next_attempt_at = now() "
                f"WHERE {where} RETURNING source, key"
            ),
            {"id": event_id} if event_id else {},
        )
    ).all()
    if rows:
        await session.execute(
            text(
                "UPDATE inbox_progress SET blocked_until = NULL FROM "
                "(SELECT unnest(CAST(:s AS text[])) AS source, unnest(CAST(:k AS text[])) AS key) r"
                " WHERE inbox_progress.source = r.source AND inbox_progress.key = r.key"
            ),
            {"s": [r.source for r in rows], "k": [r.key for r in rows]},
        )
    return len(rows)


async def reset_source(session: AsyncSession, source: str, keep_rows: bool) -> int:
    """Forget what was applied from `source` (to rebuild a copy): its per-key progress always;
    its stored events put back in line (`keep_rows`) or deleted (the relay is then rewound to
    copy them again). Returns how many events were requeued or deleted."""
    await session.execute(text("DELETE FROM inbox_progress WHERE source = :s"), {"s": source})
    if keep_rows:
        res = await session.execute(text(
            "UPDATE inbox SET status = 'pending', attempts = 0, next_attempt_at = now(), "
            "applied_at = NULL, last_error = NULL WHERE source = :s"), {"s": source})
    else:
        res = await session.execute(text("DELETE FROM inbox WHERE source = :s"), {"s": source})
    return int(res.rowcount)  # type: ignore[attr-defined]


def events_admin_router(service: str) -> APIRouter:
    router = APIRouter(
        prefix=f"/api/{service}/admin/events", tags=[f"{service}-admin"], route_class=TxRoute
    )
    @router.get("/parked", response_model=list[ParkedEvent],
                responses=problem_responses(401, 403))
    async def parked_events(
        session: SessionDep, _: Admin, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[ParkedEvent]:
        """Events this service could not apply after every retry, with their last error."""
        return await list_parked(session, limit)

    @router.post("/parked/{event_id}/replay", response_model=ReplayResult,
                 responses=problem_responses(401, 403, 404))
    async def replay_parked_event(
        event_id: uuid.UUID, session: SessionDep, who: Admin
    ) -> ReplayResult:
        """Retry one parked event (after fixing its cause); its key resumes behind it."""
        n = await replay(session, event_id)
        if not n:
            raise NotFound("No parked event with this id", field="event_id")
        await audit.record(session, who, "replay", "event", str(event_id))
        return ReplayResult(replayed=n)

    @router.post("/parked/replay", response_model=ReplayResult,
                 responses=problem_responses(401, 403))
    async def replay_all_parked(session: SessionDep, who: Admin) -> ReplayResult:
        """Retry every parked event of this service."""
        n = await replay(session, None)
        await audit.record(session, who, "replay-all", "event", "*", after={"count": n})
        return ReplayResult(replayed=n)

    return router
