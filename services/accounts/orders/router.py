"""Service orders for field staff: create, dispatch, complete with a read, cancel, worklist."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query

from kernel.clock import Day
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import Csr, OrderWorker
from services.accounts.orders import service
from services.accounts.orders.schemas import (
    CancelIn,
    CompleteIn,
    DispatchIn,
    OrderIn,
    OrderOut,
    OrderStatus,
)

router = APIRouter(prefix="/api/accounts/orders", tags=["accounts-orders"], route_class=TxRoute)


@router.post("", response_model=OrderOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def create_order(body: OrderIn, session: SessionDep, who: Csr) -> OrderOut:
    """Create a service order (the premise's installed meter is used unless one is named)."""
    return await service.create(session, who, body)


@router.get("", response_model=list[OrderOut], responses=problem_responses(401, 403))
async def list_orders(
    session: SessionDep, _: OrderWorker, account_id: uuid.UUID | None = None,
    premise_id: uuid.UUID | None = None, status: OrderStatus | None = None,
    limit: int = Query(default=100, ge=1, le=500),
) -> list[OrderOut]:
    """Orders of an account or premise, newest first."""
    return await service.listing(session, account_id, premise_id, status, limit)


@router.get("/worklist", response_model=list[OrderOut], responses=problem_responses(401, 403))
async def worklist(
    session: SessionDep, who: OrderWorker, through: Day, route: str | None = None,
    cycle: str | None = None, technician: str | None = None,
) -> list[OrderOut]:
    """A field technician's worklist: open orders due by `through`, in route order."""
    return await service.worklist(session, route, cycle, through, technician)


@router.get("/{order_id}", response_model=OrderOut, responses=problem_responses(401, 403, 404))
async def get_order(order_id: uuid.UUID, session: SessionDep, _: OrderWorker) -> OrderOut:
    """One service order."""
    return await service.get(session, order_id)


@router.post("/{order_id}/dispatch", response_model=OrderOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def dispatch_order(order_id: uuid.UUID, body: DispatchIn, session: SessionDep,
                         who: Csr) -> OrderOut:
    """Assign the order to a field technician."""
    return await service.dispatch(session, who, order_id, body.technician)


@router.post("/{order_id}/complete", response_model=OrderOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def complete_order(order_id: uuid.UUID, body: CompleteIn, session: SessionDep,
                         who: OrderWorker) -> OrderOut:
    """Complete with a read and notes; a final read asks billing for the closing bill."""
    return await service.complete(session, who, order_id, body)


@router.post("/{order_id}/cancel", response_model=OrderOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def cancel_order(order_id: uuid.UUID, body: CancelIn, session: SessionDep,
                       who: Csr) -> OrderOut:
    """Cancel an open or dispatched order."""
    return await service.cancel(session, who, order_id, body.reason)
