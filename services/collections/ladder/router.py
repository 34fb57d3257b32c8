"""An account's delinquency ladder: the steps its bills have taken and what holds it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.ladder import service
from services.collections.ladder.schemas import AccountLadder

router = APIRouter(prefix="/api/collections", tags=["collections-ladder"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Today = Annotated[Day | None, Query(description="The day holds are judged on (default: today)")]


@router.get("/accounts/{account_id}/ladder", response_model=AccountLadder,
            responses=problem_responses(401, 403, 422))
async def account_ladder(account_id: uuid.UUID, session: SessionDep, _: Staff,
                         today: Today = None) -> AccountLadder:
    """Each step taken for the account's bills (taken, cured or held) with the date a shut-off
    notice names, and the holds on the ladder."""
    return await service.account_ladder(session, account_id, today or utility_today())
