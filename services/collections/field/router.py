"""Door tags (approved by a supervisor), disconnect orders (guarded by SB 998 at creation,
release and completion), reconnects with the fee, the supervisor's list of tomorrow's
disconnects, and the annual SB 998 report of disconnections."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.field import service
from services.collections.field.schemas import (
    AnnualReport,
    ApproveIn,
    CompleteIn,
    DailyOut,
    DisconnectIn,
    FieldOrderOut,
    Kind,
    ReconnectIn,
    Status,
    TodayIn,
    Tomorrow,
)

router = APIRouter(prefix="/api/collections", tags=["collections-field"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor", "field_tech"))]
Csr = Annotated[Principal, Depends(require_roles("csr1", "csr2", "supervisor"))]
Collector = Annotated[Principal, Depends(require_roles("csr2", "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
Field = Annotated[Principal, Depends(require_roles("field_tech", "supervisor"))]
Operator = Annotated[Principal, Depends(require_roles("admin", "supervisor", "system"))]
Today = Annotated[Day | None, Query(description="The day (default: today)")]


@router.get("/field/orders", response_model=list[FieldOrderOut],
            responses=problem_responses(401, 403, 422))
async def list_orders(session: SessionDep, _: Staff, kind: Kind | None = None,
                      status: Status | None = None,
                      limit: int = Query(default=200, ge=1, le=1000)) -> list[FieldOrderOut]:
    """Field orders by kind and status (`status=awaiting_approval`: door tags to approve)."""
    return await service.listing(session, kind, status, limit)


@router.get("/accounts/{account_id}/field-orders", response_model=list[FieldOrderOut],
            responses=problem_responses(401, 403, 422))
async def account_orders(account_id: uuid.UUID, session: SessionDep,
                         _: Staff) -> list[FieldOrderOut]:
    """An account's door tags, disconnects and reconnects, oldest first."""
    return await service.of_account(session, account_id)


@router.post("/field/door-tags/approve", response_model=list[FieldOrderOut],
             responses=problem_responses(401, 403, 404, 409, 422))
async def approve_door_tags(body: ApproveIn, session: SessionDep,
                            who: Supervisor) -> list[FieldOrderOut]:
    """Approve door tags: each is released to accounts as a `door_tag` order."""
    return await service.approve_door_tags(session, who, body.order_ids,
                                           body.today or utility_today())


@router.post("/field/disconnects", response_model=FieldOrderOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def create_disconnect(body: DisconnectIn, session: SessionDep,
                            who: Collector) -> FieldOrderOut:
    """Create a disconnect order; refused (409, `rule`, `next_on`) when SB 998 forbids it."""
    return await service.create_disconnect(session, who, body.account_id,
                                           body.today or utility_today())


@router.post("/field/orders/{order_id}/release", response_model=FieldOrderOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def release_order(order_id: uuid.UUID, body: TodayIn, session: SessionDep,
                        who: Collector) -> FieldOrderOut:
    """Release a disconnect order to the field; refused when SB 998 forbids it today."""
    return await service.release(session, who, order_id, body.today or utility_today())


@router.post("/field/orders/{order_id}/complete", response_model=FieldOrderOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def complete_order(order_id: uuid.UUID, body: CompleteIn, session: SessionDep,
                         who: Field) -> FieldOrderOut:
    """The technician reports a door tag left, a disconnection or a reconnection; a disconnect
    is refused (409, `rule`, `next_on`) when SB 998 forbids it today. Accounts' order is
    completed by event."""
    return await service.complete(session, who, order_id, body, body.today or utility_today())


@router.post("/field/reconnects", response_model=FieldOrderOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def request_reconnect(body: ReconnectIn, session: SessionDep,
                            who: Csr) -> FieldOrderOut:
    """Reconnect a cured account (office hours or after hours: the fee differs)."""
    return await service.request_reconnect(session, who, body.account_id, body.after_hours,
                                           body.today or utility_today())


@router.post("/field/daily", response_model=DailyOut,
             responses=problem_responses(401, 403, 422))
async def run_daily(body: TodayIn, session: SessionDep, _: Operator) -> DailyOut:
    """The field step of the daily job alone (the daily job runs it after the ladder)."""
    return DailyOut(**await service.run_daily(session, body.today or utility_today()))


@router.get("/field/disconnects/tomorrow", response_model=Tomorrow,
            responses=problem_responses(401, 403, 422))
async def disconnects_tomorrow(session: SessionDep, _: Staff, today: Today = None) -> Tomorrow:
    """Disconnects scheduled for tomorrow, each with its SB 998 guardrail status."""
    return await service.tomorrow(session, today or utility_today())


@router.get("/reports/sb998-disconnections.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 422)})
async def annual_report_csv(session: SessionDep, _: Staff,
                            year: int = Query(ge=2000, le=2999)) -> Response:
    """The annual SB 998 report as CSV (a row per month, a TOTAL row last)."""
    body = service.annual_csv(await service.annual_report(session, year))
    return Response(body, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="sb998-disconnections-{year}.csv"'})


@router.get("/reports/sb998-disconnections", response_model=AnnualReport,
            responses=problem_responses(401, 403, 422))
async def annual_report(session: SessionDep, _: Staff,
                        year: int = Query(ge=2000, le=2999)) -> AnnualReport:
    """Disconnections for non-payment and restorations, month by month, for the year."""
    return await service.annual_report(session, year)
