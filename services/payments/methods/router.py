"""Saved payment methods: the customer's own (`/portal/accounts/{account_id}/methods`), a
saved method charged now, and staff's masked list to help a customer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Request

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.methods import service
from services.payments.methods.schemas import (
    ChargeNowIn,
    MethodIn,
    MethodOut,
    SetupIn,
    SetupOut,
)
from services.payments.portal.schemas import PortalPaymentOut
from services.payments.processors.sandbox_courier import deliver_for

router = APIRouter(prefix="/api/payments", tags=["payments-methods"], route_class=TxRoute)
PORTAL = "/portal/accounts/{account_id}"
Customer = Annotated[Principal, Depends(require_roles("customer"))]
Reader = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2", "billing_tech",
                                                    "supervisor"))]
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.get(PORTAL + "/methods", response_model=list[MethodOut],
            responses=problem_responses(401, 403, 404))
async def list_methods(account_id: uuid.UUID, session: SessionDep,
                       who: Reader) -> list[MethodOut]:
    """The account's saved methods, default first, masked."""
    return await service.listed(session, who, account_id)


@router.post(PORTAL + "/methods/setup", response_model=SetupOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def setup_method(account_id: uuid.UUID, body: SetupIn, request: Request,
                       session: SessionDep, who: Customer) -> SetupOut:
    """The processor's page where the customer enters a card or bank account to save (the
    sandbox's; with Stripe, save the token from its client-side fields instead)."""
    return await service.setup(session, who, request.app.state.processor, account_id,
                               body.return_url, body.cancel_url)


@router.post(PORTAL + "/methods", response_model=MethodOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422, 502))
async def save_method(account_id: uuid.UUID, body: MethodIn, request: Request,
                      session: SessionDep, who: Customer,
                      idempotency_key: IdempotencyKey = None) -> MethodOut:
    """Saves a method by the processor's token or a completed setup page. Needs an
    Idempotency-Key."""
    return await service.save(session, who, request.app.state.processor, account_id, body,
                              idempotency_key)


@router.post(PORTAL + "/methods/{method_id}/default", response_model=MethodOut,
             responses=problem_responses(401, 403, 404))
async def default_method(account_id: uuid.UUID, method_id: uuid.UUID, session: SessionDep,
                         who: Customer) -> MethodOut:
    """Makes the method the account's default."""
    return await service.make_default(session, who, account_id, method_id)


@router.delete(PORTAL + "/methods/{method_id}", response_model=MethodOut,
               responses=problem_responses(401, 403, 404))
async def remove_method(account_id: uuid.UUID, method_id: uuid.UUID, session: SessionDep,
                        who: Customer) -> MethodOut:
    """Removes the method; schedules paying with it stop (`method_removed`)."""
    return await service.remove(session, who, account_id, method_id)


@router.post(PORTAL + "/payments/saved", response_model=PortalPaymentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422, 502))
async def charge_saved(account_id: uuid.UUID, body: ChargeNowIn, request: Request,
                       background: BackgroundTasks, session: SessionDep, who: Customer,
                       idempotency_key: IdempotencyKey = None) -> PortalPaymentOut:
    """Charges a saved method now; it posts when the processor's webhook reports it. Needs an
    Idempotency-Key."""
    out, charged = await service.charge_now(session, who, request.app.state.processor,
                                            account_id, body.method_id, body.amount,
                                            idempotency_key)
    if charged:
        background.add_task(deliver_for, request.app.state, [charged])
    return out


@router.get("/accounts/{number}/methods", response_model=list[MethodOut],
            responses=problem_responses(401, 403, 404, 422))
async def staff_methods(number: str, session: SessionDep, _: Staff) -> list[MethodOut]:
    """Staff helping a customer: the account's saved methods, masked (by account number)."""
    return await service.listed_by_number(session, number)
