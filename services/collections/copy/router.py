"""Admin operations on collections' copy of accounts and billing data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.copy import service
from services.collections.copy.schemas import RebuildRequest, RebuildResult

router = APIRouter(prefix="/api/collections/copy", tags=["collections-copy"],
                   route_class=TxRoute)
Admin = Annotated[Principal, Depends(require_roles("admin", "supervisor"))]


@router.post("/rebuild", response_model=RebuildResult,
             responses=problem_responses(401, 403, 422))
async def rebuild_copy(body: RebuildRequest, session: SessionDep, who: Admin) -> RebuildResult:
    """Clear the copy of accounts and billing data and apply their events again (see mode)."""
    return await service.rebuild(session, who, body.mode)
