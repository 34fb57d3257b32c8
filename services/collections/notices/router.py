"""Notices: an account's letters and their PDFs, print batches (created, approved by another
supervisor, released to the vendor), the vendor's print file and manifest, voiding."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import StreamingResponse

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.csvexport import CSV_RESPONSE, CsvExport
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from kernel.filestream import attachment
from services.collections.notices import service
from services.collections.notices.schemas import (
    AwaitingOut,
    BatchIn,
    BatchOut,
    NoticeOut,
    RejectIn,
    ReleaseIn,
    VoidIn,
    VoidOut,
)

router = APIRouter(prefix="/api/collections", tags=["collections-notices"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Clerk = Annotated[Principal, Depends(require_roles("csr2", "billing_tech", "supervisor",
                                                   "admin"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
Releaser = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor", "admin"))]
_PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}}}


@router.get("/accounts/{account_id}/notices", response_model=list[NoticeOut],
            responses={**problem_responses(401, 403, 422), **CSV_RESPONSE})
async def account_notices(account_id: uuid.UUID, session: SessionDep,
                          _: Staff, csv: CsvExport) -> list[NoticeOut] | Response:
    """Every notice queued for the account (newest first), its copies and what became of it
    (`?format=csv`: as CSV)."""
    if csv:
        return csv.respond(service.of_account_export(account_id))
    return await service.of_account(session, account_id)


@router.get("/notices/awaiting-approval", response_model=AwaitingOut,
            responses=problem_responses(401, 403))
async def awaiting_approval(session: SessionDep, _: Staff) -> AwaitingOut:
    """Print batches awaiting a supervisor's approval, and queued notices not batched yet."""
    return await service.awaiting(session)


@router.get("/notices/{notice_id}.pdf", response_class=Response,
            responses={**_PDF, **problem_responses(401, 403, 404, 422)})
async def notice_pdf(notice_id: uuid.UUID, session: SessionDep, _: Staff) -> Response:
    """The notice's letter, rendered from its stored facts (the same every time)."""
    return Response(await service.pdf(session, notice_id), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="notice-{notice_id}.pdf"'})


@router.post("/notices/{notice_id}/void", response_model=VoidOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def void_notice(notice_id: uuid.UUID, body: VoidIn, session: SessionDep,
                      who: Clerk) -> VoidOut:
    """Void a notice not yet released (its Occupant and tenant copies too), with a reason."""
    return await service.void(session, who, notice_id, body.reason,
                              body.today or utility_today())


@router.post("/notices/batches", response_model=BatchOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def create_batch(body: BatchIn, session: SessionDep, who: Clerk) -> BatchOut:
    """Group the queued notices (of the day and before) into a print batch awaiting approval."""
    return await service.create_batch(session, who, body.today or utility_today())


@router.get("/notices/batches/{batch_id}", response_model=BatchOut,
            responses=problem_responses(401, 403, 404, 422))
async def get_batch(batch_id: uuid.UUID, session: SessionDep, _: Staff) -> BatchOut:
    return await service.batch(session, batch_id)


@router.post("/notices/batches/{batch_id}/approve", response_model=BatchOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def approve_batch(batch_id: uuid.UUID, session: SessionDep,
                        who: Supervisor) -> BatchOut:
    """A supervisor approves a batch; never the one who created it."""
    return await service.approve(session, who, batch_id)


@router.post("/notices/batches/{batch_id}/reject", response_model=BatchOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def reject_batch(batch_id: uuid.UUID, body: RejectIn, session: SessionDep,
                       who: Supervisor) -> BatchOut:
    """A supervisor sends a batch back with a reason; its notices return to the queue."""
    return await service.reject(session, who, batch_id, body.reason)


@router.post("/notices/batches/{batch_id}/release", response_model=BatchOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def release_batch(batch_id: uuid.UUID, body: ReleaseIn, session: SessionDep,
                        who: Releaser) -> BatchOut:
    """Release an approved batch: its notices are given today and announced; the print file
    and manifest can then be fetched."""
    return await service.release(session, who, batch_id, body.today or utility_today())


@router.get("/notices/batches/{batch_id}/print.pdf", response_class=StreamingResponse,
            responses={**_PDF, **problem_responses(401, 403, 404, 409, 422)})
async def print_pdf(batch_id: uuid.UUID, session: SessionDep, _: Releaser) -> Response:
    """The vendor's print file: every released notice of the batch in one PDF, streamed."""
    b, f = await service.print_file(session, batch_id)
    return attachment(f, "application/pdf", f"notices-{b.batch_on}-{b.id}.pdf")


@router.get("/notices/batches/{batch_id}/print.zip", response_class=StreamingResponse,
            responses={200: {"content": {"application/zip": {}}},
                       **problem_responses(401, 403, 404, 409, 422)})
async def print_zip(batch_id: uuid.UUID, session: SessionDep, _: Releaser) -> Response:
    """The vendor's print file for a large batch: PDFs of 1,000 notices each and
    `manifest.csv` (the manifest's columns plus file, first page and pages of each notice)."""
    b, f = await service.print_zip(session, batch_id)
    return attachment(f, "application/zip", f"notices-{b.batch_on}-{b.id}.zip")


@router.get("/notices/batches/{batch_id}/manifest.csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}},
                       **problem_responses(401, 403, 404, 409, 422)})
async def manifest_csv(batch_id: uuid.UUID, session: SessionDep, _: Releaser) -> Response:
    """The print file's manifest: a row per notice in print order (address, delivery, copies)."""
    b, chunks = await service.manifest(session, batch_id)
    return StreamingResponse(iter(chunks), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="notices-{b.batch_on}-{b.id}.csv"'})
