"""`/api/payments/portal/accounts/{account_id}/...`: what a customer does with payments, for
the accounts their token names (any other id: 404). Staff may read, to help a customer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.portal import service
from services.payments.portal.schemas import AccountSummary, HostedPaymentIn, PortalPaymentOut

router = APIRouter(prefix="/api/payments/portal/accounts/{account_id}",
                   tags=["payments-portal"], route_class=TxRoute)
Customer = Annotated[Principal, Depends(require_roles("customer"))]
Reader = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2", "billing_tech",
                                                    "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.get("", response_model=AccountSummary, responses=problem_responses(401, 403, 404))
async def summary(account_id: uuid.UUID, session: SessionDep, who: Reader) -> AccountSummary:
    """Balance, amount and date due, open bills, payment history (posted, returned) and the
    payments the customer started lately."""
    return await service.summary(session, who, account_id)


@router.post("/payments/hosted", response_model=PortalPaymentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422, 502))
async def pay_hosted(account_id: uuid.UUID, body: HostedPaymentIn, request: Request,
                     session: SessionDep, who: Customer,
                     idempotency_key: IdempotencyKey = None) -> PortalPaymentOut:
    """Opens the processor's hosted payment page for the amount: send the customer to `url`.
    The payment posts when the processor's webhook reports it. Needs an Idempotency-Key."""
    return await service.start_hosted(session, who, request.app.state.processor, account_id,
                                      body.amount, body.return_url, body.cancel_url,
                                      idempotency_key)


@router.get("/payments/{payment_id}", response_model=PortalPaymentOut,
            responses=problem_responses(401, 403, 404))
async def started_payment(account_id: uuid.UUID, payment_id: uuid.UUID, session: SessionDep,
                          who: Reader) -> PortalPaymentOut:
    """A payment the customer started, and whether it has posted."""
    return await service.started_payment(session, who, account_id, payment_id)
