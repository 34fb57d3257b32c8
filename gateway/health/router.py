"""`GET /api/health`: red (503) when any part is down, so a load balancer can act on it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from gateway.health import service
from gateway.health.schemas import SystemHealth
from kernel.db import SessionDep, TxRoute

router = APIRouter(prefix="/api", tags=["system"], route_class=TxRoute)


@router.get("/health", response_model=SystemHealth)
async def health(session: SessionDep, request: Request, response: Response) -> SystemHealth:
    """Every service, the database and the event relay's lag, in one look."""
    result = await service.system_health(session, request.app.state.upstreams,
                                         request.app.state.relay_client)
    if result.status == "down":
        response.status_code = 503
    return result
