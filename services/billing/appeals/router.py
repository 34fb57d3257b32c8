"""High-bill appeals and leak credits."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.appeals import service
from services.billing.appeals.schemas import AppealIn, AppealOut, DecideIn

router = APIRouter(prefix="/api/billing/appeals", tags=["billing-appeals"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr2", "billing_tech", "supervisor"))]


@router.post("", response_model=AppealOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def open_appeal(body: AppealIn, session: SessionDep, who: Staff) -> AppealOut:
    """Open a high-bill appeal on a final bill (`billing.AppealOpened`: no shut-off while
    it is open)."""
    return await service.open_appeal(session, who, body.bill_id, body.complaint,
                                     utility_today())


@router.get("", response_model=list[AppealOut], responses=problem_responses(401, 403, 422))
async def account_appeals(account_id: uuid.UUID, session: SessionDep,
                          _: Staff) -> list[AppealOut]:
    """An account's appeals, newest first."""
    return await service.of_account(session, account_id)


@router.get("/{appeal_id}", response_model=AppealOut, responses=problem_responses(401, 403, 404))
async def get_appeal(appeal_id: uuid.UUID, session: SessionDep, _: Staff) -> AppealOut:
    """One appeal, with its decision and letter."""
    return await service.out(session, appeal_id)


@router.post("/{appeal_id}/investigate", response_model=AppealOut,
             responses=problem_responses(401, 403, 404, 409))
async def investigate_appeal(appeal_id: uuid.UUID, session: SessionDep,
                             who: Staff) -> AppealOut:
    """Request a leak-check order (`billing.ServiceOrderRequested`)."""
    return await service.investigate(session, who, appeal_id)


@router.post("/{appeal_id}/decide", response_model=AppealOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def decide_appeal(appeal_id: uuid.UUID, body: DecideIn, session: SessionDep,
                        who: Staff) -> AppealOut:
    """Decide by policy; a credit goes through adjustments (dollar authority applies)."""
    return await service.decide(session, who, appeal_id, body.repaired, body.notes,
                                utility_today())
