"""Cash drawers and the payments taken at the counter."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.counter import service
from services.payments.counter.schemas import DrawerCount, DrawerOpen, DrawerOut, SignOff
from services.payments.posting.convert import payment_out
from services.payments.posting.schemas import PaymentIn, PaymentOut

router = APIRouter(prefix="/api/payments/drawers", tags=["payments-drawers"],
                   route_class=TxRoute)
Cashier = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech"))]
CashierOrSupervisor = Annotated[Principal, Depends(require_roles(
    "csr1", "csr2", "billing_tech", "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("", response_model=DrawerOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def open_drawer(body: DrawerOpen, session: SessionDep, who: Cashier) -> DrawerOut:
    """Open the caller's drawer with its float (one open drawer per cashier)."""
    return await service.open_drawer(session, who, body.float_amount, utility_today())


@router.get("", response_model=list[DrawerOut], responses=problem_responses(401, 403, 422))
async def list_drawers(session: SessionDep, _: CashierOrSupervisor,
                       status: Literal["open", "closed", "signed_off"] | None = None,
                       limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[DrawerOut]:
    """Drawers by status, oldest first (`closed`: waiting for a supervisor's sign-off)."""
    return await service.drawers(session, status, limit)


@router.get("/{drawer_id}", response_model=DrawerOut,
            responses=problem_responses(401, 403, 404))
async def get_drawer(drawer_id: uuid.UUID, session: SessionDep,
                     _: CashierOrSupervisor) -> DrawerOut:
    """The drawer, its count and over/short once closed, and what it took by tender."""
    return await service.drawer(session, drawer_id)


@router.post("/{drawer_id}/payments", response_model=PaymentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def take_payment(drawer_id: uuid.UUID, body: PaymentIn, session: SessionDep,
                       who: Cashier, idempotency_key: IdempotencyKey = None) -> PaymentOut:
    """Take a payment in the caller's open drawer; posted to the account's ledger by billing
    (`payments.PaymentPosted`). Needs an Idempotency-Key."""
    return payment_out(await service.take_payment(session, who, drawer_id, body,
                                                  idempotency_key, utility_today()))


@router.post("/{drawer_id}/close", response_model=DrawerOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def close_drawer(drawer_id: uuid.UUID, body: DrawerCount, session: SessionDep,
                       who: CashierOrSupervisor) -> DrawerOut:
    """Close with the cash counted by denomination; over/short is recorded."""
    return await service.close_drawer(session, who, drawer_id, body.counts)


@router.post("/{drawer_id}/sign-off", response_model=DrawerOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def sign_off_drawer(drawer_id: uuid.UUID, body: SignOff, session: SessionDep,
                          who: Supervisor) -> DrawerOut:
    """A supervisor who did not work or close the drawer signs it off."""
    return await service.sign_off(session, who, drawer_id, body.note)
