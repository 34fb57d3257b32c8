"""Customers (who pays) and accounts (the billing relationship, numbered with a check digit)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import CurrentUser, Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import CSRS, Csr, Reader, ReaderOrCustomer, ensure_may_see_account
from services.accounts.customers import service
from services.accounts.customers.schemas import (
    AccountOut,
    AccountPatch,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    IdentityCheck,
    IdentityResult,
    PaperlessIn,
)

router = APIRouter(prefix="/api/accounts/customers", tags=["accounts-customers"],
                   route_class=TxRoute)
accounts_router = APIRouter(prefix="/api/accounts/accounts", tags=["accounts-accounts"],
                            route_class=TxRoute)


@router.post("", response_model=CustomerOut, status_code=201,
             responses=problem_responses(401, 403, 422))
async def create_customer(body: CustomerIn, session: SessionDep, who: Csr) -> CustomerOut:
    """Create a person or organisation; of an identity document only the last 4 are kept."""
    return await service.create_customer(session, who, body)


@router.get("/{customer_id}", response_model=CustomerOut,
            responses=problem_responses(401, 403, 404))
async def get_customer(customer_id: uuid.UUID, session: SessionDep, _: Reader) -> CustomerOut:
    """One customer."""
    return await service.get_customer(session, customer_id)


@router.patch("/{customer_id}", response_model=CustomerOut,
              responses=problem_responses(401, 403, 404, 422))
async def update_customer(customer_id: uuid.UUID, body: CustomerPatch, session: SessionDep,
                          who: Csr) -> CustomerOut:
    """Change names, mailing address, phones, emails, language or consent flags."""
    return await service.update_customer(session, who, customer_id, body)


@router.post("/{customer_id}/identity-check", response_model=IdentityResult,
             responses=problem_responses(401, 403, 404, 422))
async def identity_check(customer_id: uuid.UUID, body: IdentityCheck, session: SessionDep,
                         who: Csr) -> IdentityResult:
    """Does the caller's ID end in these 4 characters? (Audited; the answer is yes/no only.)"""
    return await service.check_identity(session, who, customer_id, body.id_number_last4)


@router.get("/{customer_id}/accounts", response_model=list[AccountOut],
            responses=problem_responses(401, 403, 404))
async def customer_accounts(customer_id: uuid.UUID, session: SessionDep,
                            _: Reader) -> list[AccountOut]:
    """Every account of a customer, oldest first."""
    return await service.accounts_of_customer(session, customer_id)


@accounts_router.get("/mine", response_model=list[AccountOut], responses=problem_responses(401))
async def my_accounts(session: SessionDep, who: CurrentUser) -> list[AccountOut]:
    """A portal customer's own accounts (those named in their token)."""
    return await service.my_accounts(session, who)


@accounts_router.get("/by-number/{number}", response_model=AccountOut,
                     responses=problem_responses(401, 403, 404, 422))
async def account_by_number(number: str, session: SessionDep, who: Reader) -> AccountOut:
    """Look an account up by its number; a wrong check digit is refused before any lookup."""
    return await service.account_by_number(session, number)


@accounts_router.get("/{account_id}", response_model=AccountOut,
                     responses=problem_responses(401, 403, 404))
async def get_account(account_id: uuid.UUID, session: SessionDep,
                      who: ReaderOrCustomer) -> AccountOut:
    """One account; a portal customer sees only their own."""
    ensure_may_see_account(who, account_id)
    return await service.get_account(session, account_id)


@accounts_router.patch("/{account_id}", response_model=AccountOut,
                       responses=problem_responses(401, 403, 404, 422))
async def update_account(account_id: uuid.UUID, body: AccountPatch, session: SessionDep,
                         who: Csr) -> AccountOut:
    """Mailing preferences of the account (address override, language, paperless)."""
    return await service.update_account(session, who, account_id, body)


#: The portal customer for their own accounts (another id: 404), or a CSR on the phone.
CustomerOrCsr = Annotated[Principal, Depends(require_roles("customer", *CSRS))]


@accounts_router.put("/{account_id}/paperless", response_model=AccountOut,
                     responses=problem_responses(401, 403, 404, 422))
async def set_paperless(account_id: uuid.UUID, body: PaperlessIn, session: SessionDep,
                        who: CustomerOrCsr) -> AccountOut:
    """Bills by e-mail only (`paperless: true`) or on paper again."""
    return await service.set_paperless(session, who, account_id, body.paperless)
