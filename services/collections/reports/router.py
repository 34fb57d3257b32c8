"""Collections' reports: the month's aging with its roll, the year's disconnections for
non-payment (SB 998)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.reporttable import DOWNLOAD_RESPONSES, Catalogue
from services.collections.reports import domain, service
from services.collections.reports.schemas import AgingRoll, Disconnections

router = APIRouter(prefix="/api/collections/reports", tags=["collections-reports"],
                   route_class=TxRoute)
#: Staff, and the nightly update that keeps each month's reports (`kernel/servicetoken.py`).
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor", "system"))]
Month = Annotated[str | None, Query(pattern=domain.MONTH_PATTERN,
                                    description="`YYYY-MM` (default: this month)")]
Year = Annotated[str | None, Query(pattern=domain.YEAR_PATTERN,
                                   description="`YYYY` (default: this year)")]


Format = Literal["pdf", "csv"]


@router.get("", response_model=Catalogue, responses=problem_responses(401, 403))
async def catalogue(_: Staff) -> Catalogue:
    """The reports collections offers (the staff app's Reports page lists every service's)."""
    return service.catalogue()


@router.get("/aging-roll.{fmt}", response_class=Response,
            responses={**DOWNLOAD_RESPONSES, **problem_responses(401, 403, 422)})
async def aging_roll_file(fmt: Format, session: SessionDep, _: Staff,
                          month: Month = None) -> Response:
    """The aging with the month's roll as a PDF or a CSV."""
    return await service.aging_roll_file(session, month or f"{utility_today():%Y-%m}", fmt)


@router.get("/disconnections.{fmt}", response_class=Response,
            responses={**DOWNLOAD_RESPONSES, **problem_responses(401, 403, 422)})
async def disconnections_file(fmt: Format, session: SessionDep, _: Staff,
                              year: Year = None) -> Response:
    """The year's disconnections for non-payment as a PDF or a CSV."""
    return await service.disconnections_file(
        session, int(year) if year else utility_today().year, fmt)


@router.get("/aging-roll", response_model=AgingRoll, responses=problem_responses(401, 403, 422))
async def aging_roll(session: SessionDep, _: Staff, month: Month = None) -> AgingRoll:
    """The aging at the month's opening and closing, each bucket's roll, and the balance
    rolled forward through the month's charges and credits."""
    return await service.aging_roll(session, month or f"{utility_today():%Y-%m}")


@router.get("/disconnections", response_model=Disconnections,
            responses=problem_responses(401, 403, 422))
async def disconnections(session: SessionDep, _: Staff, year: Year = None) -> Disconnections:
    """Disconnections for non-payment completed in the year, by month (SB 998)."""
    return await service.disconnections(session, int(year) if year else utility_today().year)
