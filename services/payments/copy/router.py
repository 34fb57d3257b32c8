"""The counter's view of an account: who it is, its balance and open bills."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.copy import RebuildResult
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.copy import service
from services.payments.copy.schemas import CounterAccount, RebuildRequest

router = APIRouter(prefix="/api/payments", tags=["payments-accounts"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Admin = Annotated[Principal, Depends(require_roles("admin", "supervisor"))]


@router.get("/accounts/{number}", response_model=CounterAccount,
            responses=problem_responses(401, 403, 404, 422))
async def counter_account(number: str, session: SessionDep, _: Staff) -> CounterAccount:
    """An account by its number (check digit verified), as payments' copy has it."""
    return await service.counter_view(session, number, utility_today())


@router.post("/copy/rebuild", response_model=RebuildResult,
             responses=problem_responses(401, 403, 422))
async def rebuild_copy(body: RebuildRequest, session: SessionDep, who: Admin) -> RebuildResult:
    """Clear the copy of accounts and billing data and apply their events again (see mode)."""
    return await service.rebuild(session, who, body.mode)
