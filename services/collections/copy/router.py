"""Admin operations on collections' copy of accounts and billing data."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.copy import service
from services.collections.copy.schemas import AccountOut, RebuildRequest, RebuildResult

router = APIRouter(prefix="/api/collections", tags=["collections-copy"], route_class=TxRoute)
Admin = Annotated[Principal, Depends(require_roles("admin", "supervisor"))]
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]


@router.get("/accounts/{account_id}", response_model=AccountOut,
            responses=problem_responses(401, 403, 404, 422))
async def collections_account(account_id: uuid.UUID, session: SessionDep,
                              _: Staff) -> AccountOut:
    """The account holder, language, mailing address and premises served, as collections'
    copy has them (from accounts' and billing's events)."""
    return await service.account(session, account_id)


@router.post("/copy/rebuild", response_model=RebuildResult,
             responses=problem_responses(401, 403, 422))
async def rebuild_copy(body: RebuildRequest, session: SessionDep, who: Admin) -> RebuildResult:
    """Clear the copy of accounts and billing data and apply their events again (see mode)."""
    return await service.rebuild(session, who, body.mode)
