"""Deposits held per account: status, the refund review, refund or credit."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.clock import Day
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import Reader, Supervisor
from services.accounts.deposits import service
from services.accounts.deposits.schemas import DepositOut, DueDeposit, ReleaseIn, ReviewOut

#: The review: a supervisor, or the nightly update (`kernel/servicetoken.py`).
Reviewer = Annotated[Principal, Depends(require_roles("supervisor", "system"))]

router = APIRouter(prefix="/api/accounts/deposits", tags=["accounts-deposits"],
                   route_class=TxRoute)


@router.get("/due", response_model=list[DueDeposit], responses=problem_responses(401, 403, 422))
async def due_deposits(today: Day, session: SessionDep, _: Reader) -> list[DueDeposit]:
    """Preview: held deposits with 12 consecutive months of good payment history on `today`."""
    return await service.due(session, today)


@router.post("/review", response_model=ReviewOut, responses=problem_responses(401, 403, 422))
async def review(today: Day, session: SessionDep, who: Reviewer) -> ReviewOut:
    """Release every deposit due on `today`: credited to the account and announced once
    (`accounts.DepositDueForRefund`)."""
    return await service.review(session, who, today)


@router.get("/{account_id}", response_model=DepositOut,
            responses=problem_responses(401, 403, 404))
async def deposit_status(account_id: uuid.UUID, session: SessionDep, _: Reader) -> DepositOut:
    """The deposit held on an account and its history."""
    return await service.status(session, account_id)


@router.post("/{account_id}/release", response_model=DepositOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def release(account_id: uuid.UUID, body: ReleaseIn, session: SessionDep,
                  who: Supervisor) -> DepositOut:
    """Refund the deposit or credit it to the account (supervisors approve deposits)."""
    return await service.release(session, who, account_id, body)
