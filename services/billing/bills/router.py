"""Bills: detail with lines, plain-words explanation, statement PDF; run register,
consumption by class and the print-vendor file."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.csvexport import CSV_RESPONSE, CsvExport
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.billing.bills import service
from services.billing.bills.schemas import (
    AccountBill,
    BillOut,
    ConsumptionRow,
    Explanation,
    RegisterRow,
)

router = APIRouter(prefix="/api/billing/bills", tags=["billing-bills"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
#: Staff, or a portal customer for the bills of their own accounts (others: 404).
Reader = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2", "billing_tech",
                                                    "supervisor"))]


@router.get("/{bill_id}", response_model=BillOut, responses=problem_responses(401, 403, 404))
async def get_bill(bill_id: uuid.UUID, session: SessionDep, who: Reader) -> BillOut:
    """A bill with every line: quantity, unit price, tier and rate version."""
    return await service.get(session, bill_id, who)


@router.get("/{bill_id}/explain", response_model=Explanation,
            responses=problem_responses(401, 403, 404))
async def explain_bill(bill_id: uuid.UUID, session: SessionDep, who: Reader) -> Explanation:
    """How the bill was computed, in plain words."""
    return await service.explain(session, bill_id, who)


@router.get("/{bill_id}/statement.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 404)})
async def bill_statement(bill_id: uuid.UUID, session: SessionDep, who: Reader) -> Response:
    """The statement PDF (usage history, messages, stub with account number + check digit)."""
    pdf = await service.statement_pdf(session, bill_id, who)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="bill-{bill_id}.pdf"'})


@router.get("/runs/{run_id}/register", response_model=list[RegisterRow],
            responses={**problem_responses(401, 403), **CSV_RESPONSE})
async def billing_register(run_id: uuid.UUID, session: SessionDep,
                           _: Staff, csv: CsvExport) -> list[RegisterRow] | Response:
    """The billing register of a run: each bill by service and total (`?format=csv`:
    streamed)."""
    if csv:
        return csv.respond(service.register_export(run_id))
    return await service.register(session, run_id)


@router.get("/runs/{run_id}/consumption", response_model=list[ConsumptionRow],
            responses=problem_responses(401, 403))
async def consumption_by_class(run_id: uuid.UUID, session: SessionDep,
                               _: Staff) -> list[ConsumptionRow]:
    """Use and charges of a run by service and rate class."""
    return await service.consumption(session, run_id)


@router.get("/runs/{run_id}/print-file", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403)})
async def print_vendor_file(run_id: uuid.UUID, session: SessionDep, _: Staff) -> Response:
    """CSV for the print vendor (columns in `bills.service.PRINT_COLUMNS`)."""
    body = await service.print_file(session, run_id)
    return Response(body, media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="run-{run_id}.csv"'})


@router.get("/accounts/{account_id}", response_model=list[AccountBill],
            responses=problem_responses(401, 403, 404, 422))
async def account_bills(account_id: uuid.UUID, session: SessionDep, who: Reader,
                        since: Day | None = None) -> list[AccountBill]:
    """An account's issued bills whose period ended on or after `since` (default: the last 24
    months, so each month can sit beside the same month a year earlier), newest first. A
    portal customer reads only their own accounts' (another: 404)."""
    return await service.of_account(session, account_id, since, utility_today(), who)
