"""Bank deposits: what is ready, preparing one, the supervisor's sign-off, the bank's
confirmation, and the slip."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.bankdeposits import service
from services.payments.bankdeposits.schemas import (
    ConfirmIn,
    DepositIn,
    DepositOut,
    ReadyOut,
    SignOffIn,
)

router = APIRouter(prefix="/api/payments/bank-deposits", tags=["payments-bank-deposits"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.get("/ready", response_model=list[ReadyOut], responses=problem_responses(401, 403, 422))
async def ready(session: SessionDep, _: Staff,
                limit: Annotated[int, Query(ge=1, le=500)] = 200) -> list[ReadyOut]:
    """Closed drawers and posted batches not in a deposit yet, oldest first."""
    return await service.ready(session, limit)


@router.post("", response_model=DepositOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def prepare(body: DepositIn, session: SessionDep, who: Staff,
                  idempotency_key: IdempotencyKey = None) -> DepositOut:
    """Prepare a deposit from closed drawers (cash counted less the float kept, by
    denomination; checks and money orders item by item) and posted batches. Needs an
    Idempotency-Key; a drawer or batch already deposited is 409."""
    return await service.prepare(session, who, body, idempotency_key, utility_today())


@router.get("", response_model=list[DepositOut], responses=problem_responses(401, 403, 422))
async def list_deposits(session: SessionDep, _: Staff,
                        status: Literal["prepared", "signed_off", "deposited"] | None = None,
                        on: Day | None = None,
                        limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[DepositOut]:
    """Deposits by status and day prepared, oldest first (`prepared`: the sign-off worklist)."""
    return await service.deposits(session, status, on, limit)


@router.get("/{deposit_id}", response_model=DepositOut,
            responses=problem_responses(401, 403, 404))
async def get_deposit(deposit_id: uuid.UUID, session: SessionDep, _: Staff) -> DepositOut:
    return await service.deposit(session, deposit_id)


@router.post("/{deposit_id}/sign-off", response_model=DepositOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def sign_off(deposit_id: uuid.UUID, body: SignOffIn, session: SessionDep,
                   who: Supervisor) -> DepositOut:
    """A supervisor who neither prepared the deposit nor worked its drawers signs it off,
    once its drawers are signed off."""
    return await service.sign_off(session, who, deposit_id, body.note)


@router.post("/{deposit_id}/confirm", response_model=DepositOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def confirm(deposit_id: uuid.UUID, body: ConfirmIn, session: SessionDep,
                  who: Staff) -> DepositOut:
    """Record the bank's reference and the date it credited a signed-off deposit."""
    return await service.confirm(session, who, deposit_id, body.bank_reference,
                                 body.deposited_on)


@router.get("/{deposit_id}/slip.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 404)})
async def slip(deposit_id: uuid.UUID, session: SessionDep, _: Staff) -> Response:
    """The deposit slip: district, bank account (masked), date, cash by denomination, the
    checks, totals."""
    number, pdf = await service.slip_pdf(session, deposit_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="deposit-{number}.pdf"'})
