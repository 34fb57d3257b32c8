"""Transfers of misapplied payments between accounts."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.transfers import service
from services.payments.transfers.schemas import Rejection, TransferIn, TransferOut

router = APIRouter(prefix="/api/payments/transfers", tags=["payments-transfers"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("", response_model=TransferOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def request_transfer(body: TransferIn, session: SessionDep, who: Staff,
                           idempotency_key: IdempotencyKey = None) -> TransferOut:
    """Move a posted payment, or part of it, to the account it was meant for. Within your
    authority it is transferred at once; above it, it waits as `pending`. Needs an
    Idempotency-Key."""
    return await service.request(session, who, body, idempotency_key, utility_today())


@router.get("", response_model=list[TransferOut], responses=problem_responses(401, 403, 404,
                                                                              422))
async def list_transfers(session: SessionDep, _: Staff,
                         account: Annotated[str | None, Query(max_length=20)] = None,
                         receipt_number: Annotated[int | None, Query(
                             ge=1, le=9_223_372_036_854_775_807)] = None,
                         status: Literal["pending", "transferred", "rejected"] | None = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 100
                         ) -> list[TransferOut]:
    """Transfers from or to an account (its number, check digit verified) or of one payment,
    oldest first (`status=pending`: the approval worklist)."""
    return await service.listing(session, account, receipt_number, status, limit)


@router.get("/{transfer_id}", response_model=TransferOut,
            responses=problem_responses(401, 403, 404))
async def get_transfer(transfer_id: uuid.UUID, session: SessionDep, _: Staff) -> TransferOut:
    """One transfer with who asked, who approved and why."""
    return await service.get(session, transfer_id)


@router.post("/{transfer_id}/approve", response_model=TransferOut,
             responses=problem_responses(401, 403, 404, 409))
async def approve_transfer(transfer_id: uuid.UUID, session: SessionDep,
                           who: Staff) -> TransferOut:
    """Approve a pending transfer (enough authority, and not the requester)."""
    return await service.approve(session, who, transfer_id, utility_today())


@router.post("/{transfer_id}/reject", response_model=TransferOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def reject_transfer(transfer_id: uuid.UUID, body: Rejection, session: SessionDep,
                          who: Staff) -> TransferOut:
    """Turn down a pending transfer, with the reason (not the requester)."""
    return await service.reject(session, who, transfer_id, body.reason)
