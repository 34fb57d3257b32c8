"""The end-of-day report, as JSON, PDF and CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.dayend import service
from services.payments.dayend.schemas import DayEndReport

router = APIRouter(prefix="/api/payments", tags=["payments-dayend"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
DayQuery = Annotated[Day | None, Query(alias="date",
                                       description="The utility's day; today when omitted")]


@router.get("/dayend", response_model=DayEndReport, responses=problem_responses(401, 403, 422))
async def dayend(session: SessionDep, _: Staff, day: DayQuery = None) -> DayEndReport:
    """The day by channel, tender, drawer and batch, its returns and deposits, and the tie-out
    against billing's ledger (matched, missing in the ledger with the lag, differences)."""
    return await service.report(session, day or utility_today())


@router.get("/dayend.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 422)})
async def dayend_pdf(session: SessionDep, _: Staff, day: DayQuery = None) -> Response:
    """The end-of-day report, printable."""
    on = day or utility_today()
    return Response(await service.report_pdf(session, on), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="dayend-{on}.pdf"'})


@router.get("/dayend.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 422)})
async def dayend_csv(session: SessionDep, _: Staff, day: DayQuery = None) -> Response:
    """The end-of-day report for a spreadsheet: section, line, count, total."""
    on = day or utility_today()
    return Response(await service.report_csv(session, on), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="dayend-{on}.csv"'})
