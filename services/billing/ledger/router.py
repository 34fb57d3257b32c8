"""The receivable: an account's entries, balance and aging; transfers; reconciliation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.ledger import service
from services.billing.ledger.schemas import (
    AccountLedger,
    BudgetIn,
    BudgetOffer,
    BudgetOut,
    Reconciliation,
    SettlementOut,
    TransferIn,
    TransferOut,
)

router = APIRouter(prefix="/api/billing/ledger", tags=["billing-ledger"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Senior = Annotated[Principal, Depends(require_roles("csr2", "billing_tech", "supervisor"))]
#: A portal customer enrols their own account in budget billing when eligible (others: 404).
SeniorOrCustomer = Annotated[Principal, Depends(require_roles("customer", "csr2", "billing_tech",
                                                              "supervisor"))]
StaffOrCustomer = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2",
                                                             "billing_tech", "supervisor"))]


@router.get("/accounts/{account_id}", response_model=AccountLedger,
            responses=problem_responses(401, 403, 404))
async def account_ledger(account_id: uuid.UUID, session: SessionDep,
                         _: Staff) -> AccountLedger:
    """Every entry of an account, its balance and aging (credits applied oldest-first)."""
    return await service.account_ledger(session, account_id, utility_today())


@router.post("/transfers", response_model=TransferOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def transfer_balance(body: TransferIn, session: SessionDep, who: Senior) -> TransferOut:
    """Move a closed account's balance to the same customer's active account."""
    return await service.transfer(session, who, body.from_account_id, body.to_account_id,
                                  body.reason, utility_today())


@router.get("/reconciliation", response_model=Reconciliation,
            responses=problem_responses(401, 403))
async def reconciliation(session: SessionDep, _: Senior) -> Reconciliation:
    """Sum of entries = sum of balances; every bill = its lines; every final bill posted."""
    return await service.reconcile(session)


@router.post("/budget", response_model=BudgetOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def enrol_budget_billing(body: BudgetIn, session: SessionDep,
                               who: SeniorOrCustomer) -> BudgetOut:
    """Put an account on budget billing (average of its last 12 bills)."""
    return await service.enrol_budget(session, who, body.account_id, utility_today())


@router.get("/budget/{account_id}", response_model=BudgetOut,
            responses=problem_responses(401, 403, 404))
async def get_budget(account_id: uuid.UUID, session: SessionDep,
                     who: StaffOrCustomer) -> BudgetOut:
    """The account's budget plan and what it has deferred since the last true-up."""
    return await service.budget(session, account_id, who)


@router.get("/budget/{account_id}/offer", response_model=BudgetOffer,
            responses=problem_responses(401, 403, 404))
async def budget_offer(account_id: uuid.UUID, session: SessionDep,
                       who: StaffOrCustomer) -> BudgetOffer:
    """Whether the account may enrol in budget billing today and for how much (or why not)."""
    return await service.budget_offer(session, who, account_id, utility_today())


@router.post("/budget/{account_id}/settle", response_model=SettlementOut,
             responses=problem_responses(401, 403, 404))
async def settle_budget(account_id: uuid.UUID, session: SessionDep,
                        who: Senior) -> SettlementOut:
    """Annual true-up: the deferred difference is posted (`budget_settlement`)."""
    return await service.settle_budget(session, who, account_id, utility_today())
