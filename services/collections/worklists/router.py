"""The CSR II call list: past-due accounts to call, calls and their outcomes, promises."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.csvexport import CSV_RESPONSE, CsvExport
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.worklists import service
from services.collections.worklists.schemas import (
    CallIn,
    CallList,
    CallOut,
    Cancellation,
    PromiseOut,
)

router = APIRouter(prefix="/api/collections", tags=["collections-worklists"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
Today = Annotated[Day | None, Query(description="The day (default: today)")]


@router.get("/worklists/calls", response_model=CallList,
            responses={**problem_responses(401, 403, 422), **CSV_RESPONSE})
async def call_list(
    session: SessionDep, _: Staff, csv: CsvExport, today: Today = None,
    min_days: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    max_days: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    min_amount: Annotated[Decimal | None, Query(ge=0, max_digits=14, decimal_places=2)] = None,
    max_amount: Annotated[Decimal | None, Query(ge=0, max_digits=14, decimal_places=2)] = None,
    cycle: Annotated[str | None, Query(max_length=40)] = None,
    include_arranged: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CallList | Response:
    """Past-due accounts to call, most days past due first, each once: phones, cycle, the last
    call's outcome, the open promise. Accounts with an active arrangement are left out unless
    `include_arranged`. `?format=csv`: the whole list, streamed."""
    if csv:
        return csv.respond(service.call_list_export(
            today or utility_today(), min_days=min_days, max_days=max_days,
            min_amount=min_amount, max_amount=max_amount, cycle=cycle,
            include_arranged=include_arranged))
    return await service.call_list(session, today or utility_today(), min_days=min_days,
                                   max_days=max_days, min_amount=min_amount,
                                   max_amount=max_amount, cycle=cycle,
                                   include_arranged=include_arranged, limit=limit,
                                   offset=offset)


@router.post("/accounts/{account_id}/calls", response_model=CallOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def record_call(account_id: uuid.UUID, body: CallIn, session: SessionDep, who: Staff,
                      idempotency_key: IdempotencyKey = None, today: Today = None) -> CallOut:
    """Record a call's outcome; `promise_made` with the promise (date and amount), which
    holds the ladder until its date. Needs an Idempotency-Key."""
    return await service.record_call(session, who, account_id, body, idempotency_key,
                                     today or utility_today())


@router.get("/accounts/{account_id}/calls", response_model=list[CallOut],
            responses=problem_responses(401, 403, 422))
async def account_calls(account_id: uuid.UUID, session: SessionDep, _: Staff) -> list[CallOut]:
    """The account's calls, newest first, with who made each."""
    return await service.calls_of(session, account_id)


@router.get("/accounts/{account_id}/promises", response_model=list[PromiseOut],
            responses=problem_responses(401, 403, 422))
async def account_promises(account_id: uuid.UUID, session: SessionDep,
                           _: Staff) -> list[PromiseOut]:
    return await service.promises_of(session, account_id)


@router.post("/promises/{promise_id}/cancel", response_model=PromiseOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def cancel_promise(promise_id: uuid.UUID, body: Cancellation, session: SessionDep,
                         who: Staff, today: Today = None) -> PromiseOut:
    """Cancel an open promise, with the reason."""
    return await service.cancel_promise(session, who, promise_id, body.reason,
                                        today or utility_today())
