"""`POST /api/payments/webhooks/{processor}`: the processor's deliveries. No staff token: the
processor's signature is the authentication, checked before the body is parsed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kernel.clock import utc_now
from kernel.db import SessionDep, TxRoute
from kernel.errors import NotFound, problem_responses
from kernel.settings import get_settings
from services.payments.processors.base import Processor
from services.payments.webhooks import service
from services.payments.webhooks.schemas import WebhookAck

router = APIRouter(prefix="/api/payments/webhooks", tags=["payments-webhooks"],
                   route_class=TxRoute)


@router.post("/{processor}", response_model=WebhookAck,
             responses=problem_responses(400, 401, 404, 422))
async def receive(processor: str, request: Request, session: SessionDep) -> JSONResponse:
    """One delivery. 200 for an event handled now or before (a duplicate); 400/401 (nothing
    written) for a delivery we do not trust, so the processor's retry or alarm takes over.
    The answer is validated once as `WebhookAck` and sent as is, skipping FastAPI's second
    response-model pass (validate again, encode) on this hot route."""
    configured: Processor = request.app.state.processor
    if processor != configured.name:
        raise NotFound("This service takes webhooks from its configured processor only",
                       field="processor")
    body = await request.body()
    event_id, outcome = await service.receive(
        session, configured, body, request.headers, now=utc_now(),
        zone=ZoneInfo(get_settings().timezone))
    return JSONResponse(WebhookAck(event_id=event_id, outcome=outcome).model_dump())
