"""Payment arrangements: make, show, cancel; an account's standing; the daily sweep."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.arrangements import service
from services.collections.arrangements.schemas import (
    ArrangementIn,
    ArrangementOut,
    Cancellation,
    DailyOut,
    Listing,
    StandingOut,
)

router = APIRouter(prefix="/api/collections", tags=["collections-arrangements"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Admin = Annotated[Principal, Depends(require_roles("admin", "system"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
Today = Annotated[Day | None, Query(description="The day it happens (default: today)")]


@router.post("/accounts/{account_id}/arrangements", response_model=ArrangementOut,
             status_code=201, responses=problem_responses(401, 403, 404, 409, 422))
async def create_arrangement(account_id: uuid.UUID, body: ArrangementIn, session: SessionDep,
                             who: Staff, idempotency_key: IdempotencyKey = None,
                             today: Today = None) -> ArrangementOut:
    """Make a payment arrangement for the past-due amount (or `total`): amortised, an
    alternative schedule, or a deferral. Queues the confirmation letter. Needs an
    Idempotency-Key."""
    return await service.create(session, who, account_id, body, idempotency_key,
                                today or utility_today())


@router.get("/accounts/{account_id}/arrangements", response_model=list[ArrangementOut],
            responses=problem_responses(401, 403, 422))
async def account_arrangements(account_id: uuid.UUID, session: SessionDep, _: Staff,
                               today: Today = None) -> list[ArrangementOut]:
    """The account's arrangements, newest first, each instalment with what is paid of it."""
    return await service.of_account(session, account_id, today or utility_today())


@router.get("/accounts/{account_id}/arrangements/standing", response_model=StandingOut,
            responses=problem_responses(401, 403, 422))
async def arrangement_standing(account_id: uuid.UUID, session: SessionDep, _: Staff,
                               today: Today = None) -> StandingOut:
    """Where the account stands: none, active (kept), broken (and its final notice), completed."""
    s = await service.standing(session, account_id, today or utility_today())
    return StandingOut(status=s.status, arrangement_id=s.arrangement_id,
                       broken_on=s.broken_on, final_notice_on=s.final_notice_on)


@router.get("/arrangements", response_model=Listing,
            responses=problem_responses(401, 403, 422))
async def list_arrangements(
    session: SessionDep, _: Staff, today: Today = None,
    status: Literal["active", "completed", "broken", "cancelled"] = "active",
    behind: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Listing:
    """Arrangements to watch: those of a status (default active), the ones with an instalment
    short the longest first (`behind=true`: only those), with what is paid and short."""
    return await service.listing(session, today or utility_today(), status=status,
                                 behind=behind, limit=limit, offset=offset)


@router.post("/arrangements/run-daily", response_model=DailyOut,
             responses=problem_responses(401, 403, 422))
async def run_daily(session: SessionDep, _: Admin, today: Today = None) -> DailyOut:
    """The arrangements' daily step alone (the daily job runs it after the ladder)."""
    return DailyOut(counts=await service.run_daily(session, today or utility_today()))


@router.get("/arrangements/{arrangement_id}", response_model=ArrangementOut,
            responses=problem_responses(401, 403, 404, 422))
async def get_arrangement(arrangement_id: uuid.UUID, session: SessionDep, _: Staff,
                          today: Today = None) -> ArrangementOut:
    return await service.get(session, arrangement_id, today or utility_today())


@router.post("/arrangements/{arrangement_id}/cancel", response_model=ArrangementOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def cancel_arrangement(arrangement_id: uuid.UUID, body: Cancellation,
                             session: SessionDep, who: Staff,
                             today: Today = None) -> ArrangementOut:
    """Cancel an active arrangement, with the reason."""
    return await service.cancel(session, who, arrangement_id, body.reason,
                                today or utility_today())
