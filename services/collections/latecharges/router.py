"""Late charges of an account, and their reversals within dollar authority (above it, by an
approver who is not the requester)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.latecharges import service
from services.collections.latecharges.schemas import (
    ChargeOut,
    DecisionIn,
    ReversalIn,
    ReversalOut,
)

router = APIRouter(prefix="/api/collections", tags=["collections-late-charges"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.get("/accounts/{account_id}/late-charges", response_model=list[ChargeOut],
            responses=problem_responses(401, 403, 422))
async def account_late_charges(account_id: uuid.UUID, session: SessionDep,
                               _: Staff) -> list[ChargeOut]:
    """The account's late charges, each with its reversal when there is one."""
    return await service.charges_of(session, account_id)


@router.post("/late-charges/{notice_id}/reversals", response_model=ReversalOut,
             status_code=201, responses=problem_responses(401, 403, 404, 409, 422))
async def request_reversal(notice_id: uuid.UUID, body: ReversalIn, session: SessionDep,
                           who: Staff, idempotency_key: IdempotencyKey = None) -> ReversalOut:
    """Reverse a late charge: within your dollar authority at once (`reversed`), above it it
    waits (`pending`) for an approver. A charge is reversed once (409 after)."""
    return await service.request_reversal(session, who, notice_id, body.amount, body.reason,
                                          body.on or utility_today())


@router.get("/late-charges/reversals", response_model=list[ReversalOut],
            responses=problem_responses(401, 403, 422))
async def list_reversals(session: SessionDep, _: Staff,
                         status: Literal["pending", "reversed", "rejected"] | None = None,
                         account_id: uuid.UUID | None = None) -> list[ReversalOut]:
    """Reversals, e.g. the pending ones waiting for an approver."""
    return await service.reversals(session, status, account_id)


@router.post("/late-charges/reversals/{reversal_id}/approve", response_model=ReversalOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def approve_reversal(reversal_id: uuid.UUID, session: SessionDep, who: Staff,
                           body: DecisionIn | None = None,
                           idempotency_key: IdempotencyKey = None) -> ReversalOut:
    """Approve a pending reversal: your authority must cover it and it is not your own."""
    on = body.on if body and body.on else utility_today()
    return await service.approve(session, who, reversal_id, on)


@router.post("/late-charges/reversals/{reversal_id}/reject", response_model=ReversalOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def reject_reversal(reversal_id: uuid.UUID, session: SessionDep, who: Staff,
                          body: DecisionIn | None = None,
                          idempotency_key: IdempotencyKey = None) -> ReversalOut:
    """Turn a pending reversal down (not your own)."""
    on = body.on if body and body.on else utility_today()
    return await service.reject(session, who, reversal_id, body.note if body else None, on)
