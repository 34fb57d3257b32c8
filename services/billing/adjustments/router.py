"""Adjustments with reason codes and dollar authority by role."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.adjustments import service
from services.billing.adjustments.schemas import AdjustmentIn, AdjustmentOut, Decision

router = APIRouter(prefix="/api/billing/adjustments", tags=["billing-adjustments"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]


@router.post("", response_model=AdjustmentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def request_adjustment(body: AdjustmentIn, session: SessionDep,
                             who: Staff) -> AdjustmentOut:
    """Within your authority it posts at once; above it, it waits as `pending`."""
    return await service.request(session, who, body.account_id, body.amount, body.reason_code,
                                 body.reason)


@router.get("", response_model=list[AdjustmentOut], responses=problem_responses(401, 403))
async def list_adjustments(session: SessionDep, _: Staff,
                           status: Literal["pending", "posted", "rejected"] | None = None,
                           account_id: uuid.UUID | None = None) -> list[AdjustmentOut]:
    """Adjustments, e.g. the pending ones waiting for an approver."""
    return await service.listing(session, status, account_id)


@router.get("/{adjustment_id}", response_model=AdjustmentOut,
            responses=problem_responses(401, 403, 404))
async def get_adjustment(adjustment_id: uuid.UUID, session: SessionDep,
                         _: Staff) -> AdjustmentOut:
    """One adjustment with requester and approver."""
    return await service.out(session, adjustment_id)


@router.post("/{adjustment_id}/approve", response_model=AdjustmentOut,
             responses=problem_responses(401, 403, 404, 409))
async def approve_adjustment(adjustment_id: uuid.UUID, session: SessionDep,
                             who: Staff) -> AdjustmentOut:
    """Approve a pending adjustment (enough authority, and not the requester)."""
    return await service.approve(session, who, adjustment_id)


@router.post("/{adjustment_id}/reject", response_model=AdjustmentOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def reject_adjustment(adjustment_id: uuid.UUID, body: Decision, session: SessionDep,
                            who: Staff) -> AdjustmentOut:
    """Turn down a pending adjustment."""
    return await service.reject(session, who, adjustment_id, body.reason)
