"""Payments' reports: the month's receipts by tender (JSON, CSV, PDF) and the payments
received in a period (a list; `?format=csv` streams all of it)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.csvexport import CSV_RESPONSE, CsvExport
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.reporttable import DOWNLOAD_RESPONSES, Catalogue
from services.payments.reports import domain, service
from services.payments.reports.schemas import ReceiptsByTender, ReceivedOut

router = APIRouter(prefix="/api/payments/reports", tags=["payments-reports"],
                   route_class=TxRoute)
#: Staff, and the nightly update that keeps each month's reports (`kernel/servicetoken.py`).
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor", "system"))]
Month = Annotated[str | None, Query(pattern=domain.MONTH_PATTERN,
                                    description="`YYYY-MM` (default: this month)")]


@router.get("", response_model=Catalogue, responses=problem_responses(401, 403))
async def catalogue(_: Staff) -> Catalogue:
    """The reports payments offers (the staff app's Reports page lists every service's)."""
    return service.catalogue()


@router.get("/receipts-by-tender.{fmt}", response_class=Response,
            responses={**DOWNLOAD_RESPONSES, **problem_responses(401, 403, 422)})
async def receipts_by_tender_file(fmt: Literal["pdf", "csv"], session: SessionDep, _: Staff,
                                  month: Month = None) -> Response:
    """Receipts by tender as a PDF or a CSV."""
    return await service.receipts_by_tender_file(
        session, month or domain.this_month(utility_today()), fmt)


@router.get("/receipts-by-tender", response_model=ReceiptsByTender,
            responses=problem_responses(401, 403, 422))
async def receipts_by_tender(session: SessionDep, _: Staff,
                             month: Month = None) -> ReceiptsByTender:
    """The month's posted receipts and returns by tender, tied to the ledger's payments."""
    return await service.receipts_by_tender(session, month or domain.this_month(
        utility_today()))


@router.get("/payments", response_model=list[ReceivedOut],
            responses={**problem_responses(401, 403, 422), **CSV_RESPONSE})
async def payments_received(
    session: SessionDep, _: Staff, csv: CsvExport,
    since: Annotated[Day, Query(alias="from", description="First day received")],
    until: Annotated[Day, Query(alias="to", description="Last day received")],
    tender: Literal["cash", "check", "money_order", "card", "bank"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[ReceivedOut] | Response:
    """Posted payments received in the period, by day and receipt number (`?format=csv`:
    all of them, streamed)."""
    if csv:
        return csv.respond(service.received_export(since, until, tender))
    return await service.received(session, since, until, tender, limit, offset)
