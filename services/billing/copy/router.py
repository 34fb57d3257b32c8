"""Admin operations on billing's copy of accounts data: rebuild and check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.copy import service
from services.billing.copy.schemas import CheckResult, RebuildRequest, RebuildResult

router = APIRouter(prefix="/api/billing/copy", tags=["billing-copy"], route_class=TxRoute)
Admin = Annotated[Principal, Depends(require_roles("admin", "supervisor"))]


@router.post("/rebuild", response_model=RebuildResult,
             responses=problem_responses(401, 403, 422))
async def rebuild_copy(body: RebuildRequest, session: SessionDep, who: Admin) -> RebuildResult:
    """Clear the copy and replay the accounts events from the start (see mode)."""
    return await service.rebuild(session, who, body.mode)


@router.get("/check", response_model=CheckResult, responses=problem_responses(401, 403))
async def check_copy(session: SessionDep, _: Admin) -> CheckResult:
    """Row counts and md5 fingerprints of the copy, to compare with the accounts source."""
    return await service.check(session)
