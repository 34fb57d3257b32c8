"""Accounts' reports: deposits held and refunded in a year."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.reporttable import DOWNLOAD_RESPONSES, Catalogue
from services.accounts.reports import service
from services.accounts.reports.schemas import Deposits

router = APIRouter(prefix="/api/accounts/reports", tags=["accounts-reports"],
                   route_class=TxRoute)
#: Staff, and the nightly update that keeps each month's reports (`kernel/servicetoken.py`).
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor", "system"))]
Year = Annotated[str | None, Query(pattern=r"^(19|2[0-9])[0-9]{2}$",
                                   description="`YYYY` (default: this year)")]


@router.get("", response_model=Catalogue, responses=problem_responses(401, 403))
async def catalogue(_: Staff) -> Catalogue:
    """The reports accounts offers (the staff app's Reports page lists every service's)."""
    return service.catalogue()


@router.get("/deposits.{fmt}", response_class=Response,
            responses={**DOWNLOAD_RESPONSES, **problem_responses(401, 403, 422)})
async def deposits_file(fmt: Literal["pdf", "csv"], session: SessionDep, _: Staff,
                        year: Year = None) -> Response:
    """Deposits held and refunded in the year as a PDF or a CSV."""
    return await service.deposits_file(session, int(year) if year else utility_today().year,
                                       fmt)


@router.get("/deposits", response_model=Deposits, responses=problem_responses(401, 403, 422))
async def deposits(session: SessionDep, _: Staff, year: Year = None) -> Deposits:
    """Deposits required, waived, refunded and credited in the year by month, and held."""
    return await service.deposits(session, int(year) if year else utility_today().year)
