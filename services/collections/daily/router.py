"""The daily job, run by the scheduler (or an administrator) once a day."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.daily import service
from services.collections.daily.schemas import DailyOut, DailyProgress

router = APIRouter(prefix="/api/collections", tags=["collections-daily"], route_class=TxRoute)
Runner = Annotated[Principal, Depends(require_roles("admin", "system"))]
Watcher = Annotated[Principal, Depends(require_roles("admin", "system", "supervisor"))]
Today = Annotated[Day | None, Query(description="The day to run (default: today)")]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("/daily", response_model=DailyOut,
             responses=problem_responses(401, 403, 422))
async def run_daily(session: SessionDep, who: Runner, today: Today = None,
                    idempotency_key: IdempotencyKey = None) -> DailyOut:
    """Run the day: the ladder, then arrangements and the field. A day already run answers
    with its first result (`ran: false`) and does nothing new."""
    return DailyOut.model_validate(await service.run(session, today or utility_today(), who.sub))


@router.get("/daily/progress", response_model=DailyProgress,
            responses=problem_responses(401, 403))
async def daily_progress(_: Watcher) -> DailyProgress:
    """The step the latest run of this process is on, and what each finished step took."""
    return service.progress_out()
