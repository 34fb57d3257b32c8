"""Meters: inventory (in stock vs installed), install, remove, exchange, full history."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import MeterStaff, Reader
from services.accounts.meters import service
from services.accounts.meters.schemas import (
    ExchangeIn,
    ExchangeOut,
    HistoryEntry,
    InstallIn,
    MeterIn,
    MeterOut,
    MeterStatus,
    RemoveIn,
)

router = APIRouter(prefix="/api/accounts/meters", tags=["accounts-meters"], route_class=TxRoute)


@router.post("", response_model=MeterOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def receive_meter(body: MeterIn, session: SessionDep, who: MeterStaff) -> MeterOut:
    """Receive a meter into stock."""
    return await service.receive(session, who, body)


@router.get("", response_model=list[MeterOut], responses=problem_responses(401, 403, 422))
async def list_meters(
    session: SessionDep, _: Reader, status: MeterStatus | None = None, size: str | None = None,
    limit: int = Query(default=200, ge=1, le=1000),
) -> list[MeterOut]:
    """Meter inventory: in stock vs installed, by size."""
    return await service.listing(session, status, size, limit)


@router.get("/at-premise/{premise_id}", response_model=list[MeterOut],
            responses=problem_responses(401, 403))
async def meters_at_premise(premise_id: uuid.UUID, session: SessionDep,
                            _: Reader) -> list[MeterOut]:
    """Meters installed at a premise."""
    return await service.at_premise(session, premise_id)


@router.get("/{meter_id}", response_model=MeterOut, responses=problem_responses(401, 403, 404))
async def get_meter(meter_id: uuid.UUID, session: SessionDep, _: Reader) -> MeterOut:
    """One meter."""
    return await service.get(session, meter_id)


@router.get("/{meter_id}/history", response_model=list[HistoryEntry],
            responses=problem_responses(401, 403, 404))
async def meter_history(meter_id: uuid.UUID, session: SessionDep,
                        _: Reader) -> list[HistoryEntry]:
    """Every receipt, install, removal and exchange of the meter, oldest first."""
    return await service.history(session, meter_id)


@router.post("/{meter_id}/install", response_model=MeterOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def install_meter(meter_id: uuid.UUID, body: InstallIn, session: SessionDep,
                        who: MeterStaff) -> MeterOut:
    """Install a stock meter at a premise with its install read."""
    return await service.install(session, who, meter_id, body)


@router.post("/{meter_id}/remove", response_model=MeterOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def remove_meter(meter_id: uuid.UUID, body: RemoveIn, session: SessionDep,
                       who: MeterStaff) -> MeterOut:
    """Remove an installed meter with its removal read."""
    return await service.remove(session, who, meter_id, body)


@router.post("/{meter_id}/exchange", response_model=ExchangeOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def exchange_meter(meter_id: uuid.UUID, body: ExchangeIn, session: SessionDep,
                         who: MeterStaff) -> ExchangeOut:
    """Exchange: removal read of this meter, install read of the new one, SAs follow."""
    return await service.exchange(session, who, meter_id, body)
