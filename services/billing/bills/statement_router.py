"""Statements: a bill's statement as PDF or HTML (staff, and the customer whose bill it is),
a run's print batch for the vendor, and the district's statement configuration."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import StreamingResponse

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.filestream import attachment
from services.billing.bills import statement_service as service
from services.billing.config.statement import District

router = APIRouter(prefix="/api/billing/statements", tags=["billing-statements"],
                   route_class=TxRoute)
Reader = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                    "supervisor", "customer"))]
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Tech = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]


@router.get("/config", response_model=District, responses=problem_responses(401, 403))
async def get_statement_config(session: SessionDep, _: Staff) -> District:
    """What the district saved (blank fields print the letterhead settings)."""
    return await service.get_config(session)


@router.put("/config", response_model=District, responses=problem_responses(401, 403, 422))
async def put_statement_config(body: District, session: SessionDep,
                               who: Supervisor) -> District:
    """Identity, logo (base64 PNG/JPEG), late-charge wording and messages (docs/statements.md).
    Saving the same document again changes nothing, so a retry is safe."""
    return await service.put_config(session, who, body)


@router.get("/{bill_id}.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}},
                       **problem_responses(401, 403, 404)})
async def statement_pdf(bill_id: uuid.UUID, session: SessionDep, who: Reader) -> Response:
    """The statement a district mails (a customer sees only their own final bills)."""
    pdf = await service.pdf(session, who, bill_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="bill-{bill_id}.pdf"'})


@router.get("/{bill_id}.html", response_class=Response,
            responses={200: {"content": {"text/html": {}}}, **problem_responses(401, 403, 404)})
async def statement_html(bill_id: uuid.UUID, session: SessionDep, who: Reader) -> Response:
    """The same statement as a web page (e-bill, portal)."""
    body = await service.html(session, who, bill_id)
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": "default-src 'none'; "
                             "style-src 'unsafe-inline'; img-src data:"})


@router.get("/runs/{run_id}/print-batch.zip", response_class=StreamingResponse,
            responses={200: {"content": {"application/zip": {}}},
                       **problem_responses(401, 403, 404)})
async def print_batch(run_id: uuid.UUID, session: SessionDep, _: Tech) -> Response:
    """The run's paper statements for the print vendor: finished PDFs presorted by ZIP, with
    `index.csv` (file, first page, page count per statement) and `manifest.json`."""
    f = await service.print_batch(session, run_id, utility_today())
    return attachment(f, "application/zip", f"run-{run_id}-statements.zip")
