"""Billing's reports: each `GET /api/billing/reports/{name}` as JSON and `{name}.pdf` or
`{name}.csv` as a download, by `?month=YYYY-MM` or `?year=YYYY` as the catalogue says."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.reporttable import DOWNLOAD_RESPONSES, Catalogue
from services.billing.reports import domain, service
from services.billing.reports.schemas import (
    BilledConsumption,
    BillsAndCredits,
    Connections,
    Conservation,
    ReadsBySource,
    Unbilled,
    WaterDelivered,
)

router = APIRouter(prefix="/api/billing/reports", tags=["billing-reports"], route_class=TxRoute)
#: Staff, and the nightly update that keeps each month's reports (`kernel/servicetoken.py`).
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor", "system"))]
Month = Annotated[str | None, Query(pattern=domain.MONTH_PATTERN,
                                    description="`YYYY-MM` (default: this month)")]
Year = Annotated[str | None, Query(pattern=domain.YEAR_PATTERN,
                                   description="`YYYY` (default: last year)")]
Fmt = Literal["pdf", "csv"]
ERRORS = problem_responses(401, 403, 422)
FILE = {**DOWNLOAD_RESPONSES, **ERRORS}
MonthlyName = Literal["billed-consumption", "bills-and-credits", "unbilled",
                      "reads-by-source", "conservation"]
YearlyName = Literal["connections", "water-delivered"]


def _month(m: str | None) -> str:
    return m or domain.this_month(utility_today())


def _year(y: str | None) -> str:
    return y or domain.last_year(utility_today())


@router.get("", response_model=Catalogue, responses=problem_responses(401, 403))
async def catalogue(_: Staff) -> Catalogue:
    """The reports billing offers (the staff app's Reports page lists every service's)."""
    return service.catalogue()


@router.get("/{name}.{fmt}", response_class=Response, responses=FILE)
async def report_file(name: MonthlyName | YearlyName, fmt: Fmt, session: SessionDep,
                      _: Staff, month: Month = None, year: Year = None) -> Response:
    """A report as a PDF or a CSV: a monthly one by `month`, a yearly one by `year`."""
    period = _year(year) if name in ("connections", "water-delivered") else _month(month)
    return await service.file(session, name, period, fmt)


@router.get("/billed-consumption", response_model=BilledConsumption, responses=ERRORS)
async def billed_consumption(session: SessionDep, _: Staff,
                             month: Month = None) -> BilledConsumption:
    """Billed consumption and revenue by service, rate class and meter size."""
    return await service.billed(session, _month(month))


@router.get("/bills-and-credits", response_model=BillsAndCredits, responses=ERRORS)
async def bills_and_credits(session: SessionDep, _: Staff,
                            month: Month = None) -> BillsAndCredits:
    """Bills, adjustments and credits by kind, reason and who approved them."""
    return await service.bills_and_credits(session, _month(month))


@router.get("/unbilled", response_model=Unbilled, responses=ERRORS)
async def unbilled(session: SessionDep, _: Staff, month: Month = None) -> Unbilled:
    """Unbilled and zero-consumption accounts."""
    return await service.unbilled(session, _month(month))


@router.get("/reads-by-source", response_model=ReadsBySource, responses=ERRORS)
async def reads_by_source(session: SessionDep, _: Staff, month: Month = None) -> ReadsBySource:
    """Meter reads by source and kind."""
    return await service.reads(session, _month(month))


@router.get("/conservation", response_model=Conservation, responses=ERRORS)
async def conservation(session: SessionDep, _: Staff, month: Month = None) -> Conservation:
    """Residential water delivered and R-GPCD."""
    return await service.conservation(session, _month(month))


@router.get("/connections", response_model=Connections, responses=ERRORS)
async def connections(session: SessionDep, _: Staff, year: Year = None) -> Connections:
    """Customers and service connections by class and meter size on the year's last day."""
    return await service.connections(session, _year(year))


@router.get("/water-delivered", response_model=WaterDelivered, responses=ERRORS)
async def water_delivered(session: SessionDep, _: Staff, year: Year = None) -> WaterDelivered:
    """Water delivered by customer class by month (the State's Electronic Annual Report)."""
    return await service.water_delivered(session, _year(year))
