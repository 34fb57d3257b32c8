"""The run log (billing technicians, supervisors, admins), run now for a day and retry a failed
step (supervisors, admins), and the reports a night kept."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Query, Request, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day
from kernel.db import SessionDep, TxRoute
from kernel.errors import Conflict, NotFound, Unprocessable, problem_responses
from nightly import domain, service
from nightly import repository as repo
from nightly.schemas import NightReportOut, NightRunOut, NightStepOut

router = APIRouter(prefix="/api/nightly", tags=["nightly"], route_class=TxRoute)
Viewer = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor", "admin"))]
Runner = Annotated[Principal, Depends(require_roles("supervisor", "admin"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
FIRST_DAY, LAST_DAY = date(1900, 1, 2), date(2999, 12, 31)
TITLES = {s.name: s.title for s in domain.plan(date(2026, 1, 1))}


class NotFailed(Conflict):
    code, title = "nightly-step-not-failed", "Only a failed step can be retried"


async def _out(s: SessionDep, runs: list[repo.RunRow]) -> list[NightRunOut]:
    steps = await repo.steps(s, [r.id for r in runs])
    out = []
    for r in runs:
        mine = [x for x in steps if x.run_id == r.id]
        files = await repo.reports(s, r.id) if any(
            x.step == "reports" and x.status == "succeeded" for x in mine) else []
        out.append(NightRunOut(
            id=r.id, day=r.day, status=r.status, requested_by=r.requested_by,
            started_at=r.started_at, finished_at=r.finished_at,
            steps=[NightStepOut(
                step=x.step, title=TITLES.get(x.step, x.step), position=x.position,
                status=service.shown_status(x.status, x.next_attempt_at),
                attempts=x.attempts, started_at=x.started_at, finished_at=x.finished_at,
                seconds=(x.finished_at - x.started_at).total_seconds()
                if x.finished_at and x.started_at else None,
                next_attempt_at=x.next_attempt_at, result=x.result, error=x.error,
                retried_by=x.retried_by) for x in mine],
            reports=[NightReportOut(
                service=f.service, name=f.name, period=f.period, title=f.title, size=f.size,
                path=f"/api/nightly/runs/{r.id}/reports/{f.service}/{f.name}.pdf")
                for f in files]))
    return out


async def _run(s: SessionDep, run_id: uuid.UUID) -> NightRunOut:
    r = await repo.run(s, run_id)
    if r is None:
        raise NotFound("No such nightly run", field="run_id")
    return (await _out(s, [r]))[0]


@router.get("/runs", response_model=list[NightRunOut], responses=problem_responses(401, 403, 422))
async def runs(session: SessionDep, _: Viewer,
               limit: Annotated[int, Query(ge=1, le=366)] = 30) -> list[NightRunOut]:
    """The latest nights, newest first, each with its steps."""
    return await _out(session, await repo.runs(session, limit))


@router.get("/runs/{run_id}", response_model=NightRunOut,
            responses=problem_responses(401, 403, 404, 422))
async def run(run_id: uuid.UUID, session: SessionDep, _: Viewer) -> NightRunOut:
    return await _run(session, run_id)


@router.post("/runs", response_model=NightRunOut, status_code=202,
             responses=problem_responses(401, 403, 422))
async def run_now(day: Annotated[Day, Query(description="The business day to run")],
                  request: Request, session: SessionDep, who: Runner, tasks: BackgroundTasks,
                  idempotency_key: IdempotencyKey = None) -> NightRunOut:
    """Run a day's night now (one missed while the system was down, say). Its steps start once
    this answers; a step already done for that day is not done again."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Unprocessable(f"A night is run for a day from {FIRST_DAY} to {LAST_DAY}",
                            field="day")
    run_id = await repo.open_run(
        session, day, [(st.name, i, st.skip_reason) for i, st in enumerate(domain.plan(day))],
        who.sub)
    tasks.add_task(service.run_steps, request.app.state.db, request.app.state.gateway, run_id,
                   day)
    return await _run(session, run_id)


@router.post("/runs/{run_id}/steps/{step}/retry", response_model=NightRunOut, status_code=202,
             responses=problem_responses(401, 403, 404, 409, 422))
async def retry(run_id: uuid.UUID, step: str, request: Request, session: SessionDep,
                who: Runner, tasks: BackgroundTasks,
                idempotency_key: IdempotencyKey = None) -> NightRunOut:
    """Try a failed step again now (after its last automatic attempt, or sooner)."""
    r = await repo.run(session, run_id)
    if r is None or step not in domain.STEP_NAMES:
        raise NotFound("No such nightly run or step", field="step")
    if not await repo.retry(session, run_id, step, who.sub):
        raise NotFailed(f"Step '{step}' of {r.day} has not failed", field="step")
    tasks.add_task(service.run_steps, request.app.state.db, request.app.state.gateway, run_id,
                   r.day)
    return await _run(session, run_id)


@router.get("/runs/{run_id}/reports/{report_service}/{name}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 404, 422)})
async def report_file(run_id: uuid.UUID, report_service: str, name: str, session: SessionDep,
                      _: Viewer) -> Response:
    """A report the night kept."""
    found = await repo.report_file(session, run_id, report_service, name)
    if found is None:
        raise NotFound("No such kept report", field="name")
    media, content, period = found
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{report_service}-{name}-{period}.pdf"'})
