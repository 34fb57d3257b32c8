"""Service agreements and the workflows that change them: start, stop, transfer."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.agreements import service
from services.accounts.agreements.schemas import (
    RateClassIn,
    SAOut,
    StartServiceIn,
    StartServiceOut,
    StopServiceIn,
    StopServiceOut,
    TenantTakeoverIn,
    TenantTakeoverOut,
    TransferIn,
    TransferOut,
)
from services.accounts.common import Csr, ReaderOrCustomer, ensure_may_see_account

router = APIRouter(prefix="/api/accounts/agreements", tags=["accounts-agreements"],
                   route_class=TxRoute)


@router.post("/start", response_model=StartServiceOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def start_service(body: StartServiceIn, session: SessionDep, who: Csr) -> StartServiceOut:
    """Move-in for a date: customer and account, agreements, deposit decision, turn-on order
    with an initial read, welcome letter."""
    return await service.start_service(session, who, body, utility_today())


@router.post("/stop", response_model=StopServiceOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def stop_service(body: StopServiceIn, session: SessionDep, who: Csr) -> StopServiceOut:
    """Move-out: stop agreements and order the final read; with a premise owner set, service
    reverts to the owner's account instead of stopping."""
    return await service.stop_service(session, who, body, utility_today())


@router.post("/transfer", response_model=TransferOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def transfer_service(body: TransferIn, session: SessionDep, who: Csr) -> TransferOut:
    """Moving within the district, in one operation."""
    return await service.transfer(session, who, body)


@router.post("/tenant-takeover", response_model=TenantTakeoverOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def tenant_takeover(body: TenantTakeoverIn, session: SessionDep,
                          who: Csr) -> TenantTakeoverOut:
    """SB 998: a tenant of a landlord's premise becomes its customer without the landlord's
    arrears (the landlord's service there stops, the tenant's starts the same day, the water
    stays on)."""
    return await service.tenant_takeover(session, who, body, utility_today())


@router.get("", response_model=list[SAOut], responses=problem_responses(401, 403))
async def account_agreements(account_id: uuid.UUID, session: SessionDep,
                             who: ReaderOrCustomer) -> list[SAOut]:
    """An account's agreements, newest first."""
    ensure_may_see_account(who, account_id)
    return await service.of_account(session, account_id)


@router.get("/{sa_id}", response_model=SAOut, responses=problem_responses(401, 403, 404))
async def get_agreement(sa_id: uuid.UUID, session: SessionDep,
                        who: ReaderOrCustomer) -> SAOut:
    """One service agreement."""
    return await service.get_for(session, who, sa_id)


@router.put("/{sa_id}/rate-class", response_model=SAOut,
            responses=problem_responses(401, 403, 404, 409, 422))
async def change_rate_class(sa_id: uuid.UUID, body: RateClassIn, session: SessionDep,
                            who: Csr) -> SAOut:
    """Move an active agreement to another rate class."""
    return await service.change_rate_class(session, who, sa_id, body.rate_class)
