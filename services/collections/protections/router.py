"""A household's SB 998 protections: medical certification, financial inability, willingness
to arrange, low-income status, a customer reached."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.protections import service
from services.collections.protections.schemas import ProtectionsIn, ProtectionsOut

router = APIRouter(prefix="/api/collections", tags=["collections-protections"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]


@router.get("/accounts/{account_id}/protections", response_model=ProtectionsOut,
            responses=problem_responses(401, 403, 404, 422))
async def get_protections(account_id: uuid.UUID, session: SessionDep, _: Staff,
                          today: Annotated[Day | None, Query()] = None) -> ProtectionsOut:
    """The household's protections and whether SB 998 forbids disconnecting it on `today`."""
    return await service.get(session, account_id, today or utility_today())


@router.post("/accounts/{account_id}/protections", response_model=ProtectionsOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def record_protections(account_id: uuid.UUID, body: ProtectionsIn, session: SessionDep,
                             who: Staff) -> ProtectionsOut:
    """Record (or withdraw, `clear`) sections of the household's protections."""
    return await service.record(session, who, account_id, body, body.today or utility_today())
