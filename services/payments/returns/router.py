"""Returned payments (checks and money orders the bank sent back) and the cash-only flag."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.returns import service
from services.payments.returns.schemas import CashOnlyIn, CashOnlyOut, ReturnIn, ReturnOut

router = APIRouter(prefix="/api/payments", tags=["payments-returns"], route_class=TxRoute)
# CSR I included: "processes NSF checks" is an essential function of the whole CSR I/II series
# (seeds); recording the bank's return is a fact, not a discretionary credit. Waiving the fee
# is the supervisor's.
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("/returns", response_model=ReturnOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def return_payment(body: ReturnIn, session: SessionDep, who: Staff,
                         idempotency_key: IdempotencyKey = None) -> ReturnOut:
    """Record a check or money order the bank returned: the payment is reversed on the
    account's ledger, the returned-payment fee assessed (a supervisor may waive it, with a
    reason), and the account becomes cash-only after repeated returns. Needs an
    Idempotency-Key. Cash cannot be returned; card and bank payments through the processor are
    reversed by its webhooks."""
    return await service.record_return(session, who, body, idempotency_key, utility_today())


@router.get("/returns", response_model=list[ReturnOut],
            responses=problem_responses(401, 403, 404, 422))
async def list_returns(session: SessionDep, _: Staff, account_number: str | None = None,
                       date_from: Annotated[Day | None, Query(alias="from")] = None,
                       date_to: Annotated[Day | None, Query(alias="to")] = None,
                       limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[ReturnOut]:
    """Returned payments, newest first: of one account, returned between `from` and `to`."""
    return await service.returns(session, account_number, date_from, date_to, limit,
                                 utility_today())


@router.get("/returns/{return_id}", response_model=ReturnOut,
            responses=problem_responses(401, 403, 404, 422))
async def get_return(return_id: uuid.UUID, session: SessionDep, _: Staff) -> ReturnOut:
    return await service.get_return(session, return_id, utility_today())


@router.get("/accounts/{number}/cash-only", response_model=CashOnlyOut,
            responses=problem_responses(401, 403, 404, 422))
async def cash_only(number: str, session: SessionDep, _: Staff) -> CashOnlyOut:
    """Whether the account pays cash only today, why, and until when."""
    return await service.cash_only_view(session, number, utility_today())


@router.post("/accounts/{number}/cash-only", response_model=CashOnlyOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def set_cash_only(number: str, body: CashOnlyIn, session: SessionDep,
                        who: Supervisor) -> CashOnlyOut:
    """A supervisor sets the account cash-only (until a date, or until cleared) or clears
    it, with the reason; clearing forgives the returns so far."""
    return await service.set_cash_only(session, who, number, body, utility_today())
