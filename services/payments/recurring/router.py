"""Scheduled and recurring payments: the customer's schedules
(`/portal/accounts/{account_id}/schedules`) and the daily run (`POST /recurring/run`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Request

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.settings import get_settings
from services.payments.processors.sandbox_courier import deliver_for
from services.payments.recurring import service
from services.payments.recurring.schemas import RunIn, RunOut, ScheduleIn, ScheduleOut

router = APIRouter(prefix="/api/payments", tags=["payments-recurring"], route_class=TxRoute)
PORTAL = "/portal/accounts/{account_id}/schedules"
Customer = Annotated[Principal, Depends(require_roles("customer"))]
Reader = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2", "billing_tech",
                                                    "supervisor"))]
Job = Annotated[Principal, Depends(require_roles("system", "admin", "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.get(PORTAL, response_model=list[ScheduleOut], responses=problem_responses(401, 403, 404))
async def list_schedules(account_id: uuid.UUID, session: SessionDep,
                         who: Reader) -> list[ScheduleOut]:
    """The account's scheduled payments (active first) and what each run did."""
    return await service.listed(session, who, account_id)


@router.post(PORTAL, response_model=ScheduleOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def schedule_payment(account_id: uuid.UUID, body: ScheduleIn, session: SessionDep,
                           who: Customer,
                           idempotency_key: IdempotencyKey = None) -> ScheduleOut:
    """Schedules a saved method: once on a date, or monthly. Needs an Idempotency-Key."""
    return await service.create(session, who, account_id, body, idempotency_key,
                                utility_today())


@router.delete(PORTAL + "/{schedule_id}", response_model=ScheduleOut,
               responses=problem_responses(401, 403, 404))
async def cancel_schedule(account_id: uuid.UUID, schedule_id: uuid.UUID, session: SessionDep,
                          who: Customer) -> ScheduleOut:
    """Cancels the schedule (nothing more is charged)."""
    return await service.cancel(session, who, account_id, schedule_id, utility_today())


@router.post("/recurring/run", response_model=RunOut,
             responses=problem_responses(401, 403, 422, 502))
async def run_recurring(body: RunIn, request: Request, background: BackgroundTasks,
                        session: SessionDep, who: Job) -> RunOut:
    """The daily job: charges each schedule due on `today` once (a retried or concurrent run
    charges nothing twice) and records a reason for what it skips."""
    out, charged = await service.run(session, who, request.app.state.processor, body.today,
                                     get_settings().payments_recurring_catch_up_days)
    if charged:
        background.add_task(deliver_for, request.app.state, charged)
    return out
