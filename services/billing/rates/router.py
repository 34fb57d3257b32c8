"""Rate schedules, versioned by effective date, and wastewater winter averages."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from kernel.auth import CurrentUser, Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.rates import service
from services.billing.rates.schemas import (
    RateVersionIn,
    RateVersionOut,
    WinterAverageIn,
    WinterAverageResult,
)

router = APIRouter(prefix="/api/billing/rates", tags=["billing-rates"], route_class=TxRoute)
Tech = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor"))]


@router.post("/versions", response_model=RateVersionOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def create_rate_version(body: RateVersionIn, session: SessionDep,
                              who: Tech) -> RateVersionOut:
    """Enter a whole rate schedule taking effect on `effective_date` (it replaces the previous
    one from that day; a bill period spanning the date is split by days)."""
    return await service.create(session, who, body)


@router.get("/versions", response_model=list[RateVersionOut],
            responses=problem_responses(401))
async def list_rate_versions(session: SessionDep, _: CurrentUser) -> list[RateVersionOut]:
    """Every rate schedule version, oldest first."""
    return await service.list_all(session)


@router.get("/versions/{version_id}", response_model=RateVersionOut,
            responses=problem_responses(401, 404))
async def get_rate_version(version_id: uuid.UUID, session: SessionDep,
                           _: CurrentUser) -> RateVersionOut:
    """One rate schedule version."""
    return await service.get(session, version_id)


@router.post("/winter-averages", response_model=WinterAverageResult,
             responses=problem_responses(401, 403, 422))
async def compute_winter_averages(body: WinterAverageIn, session: SessionDep,
                                  who: Tech) -> WinterAverageResult:
    """Set each premise's wastewater basis from its water use in the winter window."""
    return await service.winter_averages(session, who, body.winter_start, body.winter_end)
