"""Accounts' reports: deposits held and refunded in a year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.reports import service
from services.accounts.reports.schemas import Deposits

router = APIRouter(prefix="/api/accounts/reports", tags=["accounts-reports"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Year = Annotated[str | None, Query(pattern=r"^[0-9]{4}$",
                                   description="`YYYY` (default: this year)")]


@router.get("/deposits", response_model=Deposits, responses=problem_responses(401, 403, 422))
async def deposits(session: SessionDep, _: Staff, year: Year = None) -> Deposits:
    """Deposits required, waived, refunded and credited in the year by month, and held."""
    return await service.deposits(session, int(year) if year else utility_today().year)
