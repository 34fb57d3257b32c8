"""Premises: service addresses on parcels, with cycle, route and location for field staff."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import Csr, Reader
from services.accounts.premises import service
from services.accounts.premises.schemas import (
    OwnerIn,
    ParcelReport,
    PremiseIn,
    PremiseOut,
    PremisePatch,
)

router = APIRouter(prefix="/api/accounts/premises", tags=["accounts-premises"],
                   route_class=TxRoute)


@router.post("", response_model=PremiseOut, status_code=201,
             responses=problem_responses(401, 403, 422))
async def create_premise(body: PremiseIn, session: SessionDep, who: Csr) -> PremiseOut:
    """Add a service address on a parcel."""
    return await service.create(session, who, body)


@router.get("/parcels/{apn}", response_model=ParcelReport,
            responses=problem_responses(401, 403, 404))
async def parcel_report(apn: str, session: SessionDep, _: Reader) -> ParcelReport:
    """Meter connections per parcel: every premise on the APN and its installed meters."""
    return await service.parcel_report(session, apn)


@router.get("/{premise_id}", response_model=PremiseOut,
            responses=problem_responses(401, 403, 404))
async def get_premise(premise_id: uuid.UUID, session: SessionDep, _: Reader) -> PremiseOut:
    """One premise."""
    return await service.get(session, premise_id)


@router.patch("/{premise_id}", response_model=PremiseOut,
              responses=problem_responses(401, 403, 404, 422))
async def update_premise(premise_id: uuid.UUID, body: PremisePatch, session: SessionDep,
                         who: Csr) -> PremiseOut:
    """Change kind, units, cycle, route or location."""
    return await service.update(session, who, premise_id, body)


@router.put("/{premise_id}/owner", response_model=PremiseOut,
            responses=problem_responses(401, 403, 404, 422))
async def set_owner(premise_id: uuid.UUID, body: OwnerIn, session: SessionDep,
                    who: Csr) -> PremiseOut:
    """Owner/landlord continuous service: a tenant's stop reverts service to this account."""
    return await service.set_owner(session, who, premise_id, body)
