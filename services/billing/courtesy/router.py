"""High-usage courtesy calls: the worklist of reads flagged high, and the calls made."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kernel.auth import Principal, require_roles
from kernel.clock import utc_now, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.common import BizDate
from services.billing.courtesy import service
from services.billing.courtesy.domain import Show
from services.billing.courtesy.schemas import CourtesyCall, CourtesyCallIn, CourtesyItem

router = APIRouter(prefix="/api/billing/courtesy", tags=["billing-courtesy"],
                   route_class=TxRoute)
#: Technicians make the calls (the seeds); CSRs take them over when the customer calls back.
Caller = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                    "supervisor"))]


@router.get("/worklist", response_model=list[CourtesyItem],
            responses=problem_responses(401, 403, 422))
async def worklist(session: SessionDep, _: Caller, since: BizDate | None = None,
                   through: BizDate | None = None, cycle: str | None = None,
                   show: Show = "todo", account_id: uuid.UUID | None = None,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[CourtesyItem]:
    """Accounts whose reads were flagged high (read in [since, through], default the last 45
    days), each with its use per day against the prior period, last year and its average,
    and the calls made so far; newest reads first. `show`: `todo` (never called, or no one
    reached yet), `done` (the customer was spoken to or a leak check ordered) or `all`."""
    return await service.worklist(session, utility_today(), since, through, cycle, show,
                                  account_id, limit)


@router.get("/{read_id}", response_model=CourtesyItem,
            responses=problem_responses(401, 403, 404))
async def get_item(read_id: uuid.UUID, session: SessionDep, _: Caller) -> CourtesyItem:
    """One worklist item (a read flagged high) with its comparison and last call."""
    return await service.item(session, read_id)


@router.get("/{read_id}/calls", response_model=list[CourtesyCall],
            responses=problem_responses(401, 403, 404))
async def list_calls(read_id: uuid.UUID, session: SessionDep, _: Caller) -> list[CourtesyCall]:
    """Every call made about a flagged read, oldest first."""
    return await service.calls(session, read_id)


@router.post("/{read_id}/calls", response_model=CourtesyCall, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def record_call(read_id: uuid.UUID, body: CourtesyCallIn, session: SessionDep,
                      who: Caller) -> CourtesyCall:
    """Record a call's outcome (a row per call). `leak_check_ordered` names the accounts
    service order placed from the call (`POST /api/accounts/orders`, kind `leak_check`)."""
    return await service.record_call(session, who, read_id, body, utc_now())
