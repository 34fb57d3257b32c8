"""SB 998 guardrails: whether a disconnect may be created, released or completed on a day."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.guardrails import service
from services.collections.guardrails.schemas import GuardrailStatus

router = APIRouter(prefix="/api/collections", tags=["collections-guardrails"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor", "field_tech"))]


@router.get("/accounts/{account_id}/guardrails", response_model=GuardrailStatus,
            responses=problem_responses(401, 403, 422))
async def guardrails(account_id: uuid.UUID, session: SessionDep, _: Staff,
                     action: Literal["create", "release", "complete"] = "complete",
                     today: Annotated[Day | None, Query()] = None) -> GuardrailStatus:
    """Every SB 998 rule that forbids disconnecting the account on `today`, with the day each
    next allows it."""
    return await service.status(session, account_id, action, today or utility_today())
