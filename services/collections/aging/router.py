"""Aging: an account's, and the monthly aging report (JSON, CSV, PDF)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.aging import service
from services.collections.aging.schemas import AccountAging, AgingReport

router = APIRouter(prefix="/api/collections", tags=["collections-aging"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Today = Annotated[Day | None, Query(description="The day to age to (default: today)")]
AsOf = Annotated[Day | None, Query(description="The report's day (default: today)")]


@router.get("/accounts/{account_id}/aging", response_model=AccountAging,
            responses=problem_responses(401, 403, 404, 422))
async def account_aging(account_id: uuid.UUID, session: SessionDep, _: Staff,
                        today: Today = None) -> AccountAging:
    """What the account owes by days past due, credits applied to the oldest debits first."""
    return await service.account_aging(session, account_id, today or utility_today())


@router.get("/reports/aging.csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 422)})
async def aging_report_csv(session: SessionDep, _: Staff, as_of: AsOf = None) -> Response:
    """The aging report as CSV (one row per account, a TOTAL row last), streamed."""
    day = as_of or utility_today()
    chunks = await service.aging_csv(session, day)
    return StreamingResponse(iter(chunks), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="aging-{day}.csv"'})


@router.get("/reports/aging.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 422)})
async def aging_report_pdf(session: SessionDep, _: Staff, as_of: AsOf = None) -> Response:
    """The aging report as a PDF: totals by bucket, then every account with a balance."""
    day = as_of or utility_today()
    return Response(await service.aging_pdf(session, day), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="aging-{day}.pdf"'})


@router.get("/reports/aging", response_model=AgingReport,
            responses=problem_responses(401, 403, 422))
async def aging_report(
    session: SessionDep, _: Staff, as_of: AsOf = None,
    rows: Annotated[bool, Query(description="false: the totals only (a chart needs no "
                                            "row per account)")] = True,
) -> AgingReport:
    """The monthly aging report: totals by bucket (tying to billing's ledger) and each account
    with a balance or credit."""
    return await service.aging_report(session, as_of or utility_today(), with_rows=rows)
