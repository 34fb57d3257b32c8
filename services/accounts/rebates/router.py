"""Rebate programmes (toilets, washers, turf): applications with scanned forms, approval
within dollar authority or denial, each with its letter; check requests for accounts payable."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import StreamingResponse

from kernel.csvexport import CSV_RESPONSE, CsvExport
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import Csr, Reader, Supervisor
from services.accounts.rebates import service
from services.accounts.rebates.schemas import (
    ApplicationIn,
    ApplicationOut,
    CheckBatchOut,
    DecisionIn,
    DenialIn,
    ProgrammeOut,
    Status,
)

router = APIRouter(prefix="/api/accounts/rebates", tags=["accounts-rebates"],
                   route_class=TxRoute)


@router.get("/programmes", response_model=list[ProgrammeOut],
            responses=problem_responses(401, 403))
async def programmes(_: Reader) -> list[ProgrammeOut]:
    """The programmes on offer, with their amounts and limits (configured)."""
    return service.programmes()


@router.post("/applications", response_model=ApplicationOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def apply(body: ApplicationIn, session: SessionDep, who: Csr) -> ApplicationOut:
    """Take in a rebate form: eligible, it waits for approval; not, it is denied at once with
    the reasons and the denial letter."""
    return await service.apply(session, who, body)


@router.get("/applications", response_model=list[ApplicationOut],
            responses=problem_responses(401, 403, 422))
async def applications(
    session: SessionDep, _: Reader, status: Status | None = None,
    account_id: uuid.UUID | None = None,
    programme: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[ApplicationOut]:
    """Applications, newest first."""
    return await service.listing(session, status, account_id, programme, limit)


@router.get("/applications/{application_id}", response_model=ApplicationOut,
            responses=problem_responses(401, 403, 404))
async def application(application_id: uuid.UUID, session: SessionDep,
                      _: Reader) -> ApplicationOut:
    return await service.get(session, application_id)


@router.post("/applications/{application_id}/forms", response_model=ApplicationOut,
             responses=problem_responses(401, 403, 404, 422))
async def attach_form(application_id: uuid.UUID, session: SessionDep, who: Csr,
                      file: Annotated[UploadFile, File()]) -> ApplicationOut:
    """Attach a scanned form (PDF or image, up to 10 MiB), kept with the account's documents."""
    data = await file.read()
    return await service.attach_form(session, who, application_id, file.filename or "form",
                                     file.content_type or "", data)


@router.post("/applications/{application_id}/approve", response_model=ApplicationOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def approve(application_id: uuid.UUID, body: DecisionIn, session: SessionDep,
                  who: Csr) -> ApplicationOut:
    """Approve (within your dollar authority; never your own intake): the approval letter goes
    out and `accounts.RebateApproved` is announced (billing credits a bill-credit rebate)."""
    return await service.approve(session, who, application_id, body)


@router.post("/applications/{application_id}/deny", response_model=ApplicationOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def deny(application_id: uuid.UUID, body: DenialIn, session: SessionDep,
               who: Csr) -> ApplicationOut:
    """Deny with the reason the denial letter gives."""
    return await service.deny(session, who, application_id, body)


@router.get("/check-requests", response_model=CheckBatchOut,
            responses={**CSV_RESPONSE, **problem_responses(401, 403, 422)})
async def check_requests(session: SessionDep, _: Reader, csv: CsvExport,
                         batch: uuid.UUID | None = None) -> CheckBatchOut | StreamingResponse:
    """Approved rebates paid by check: those not yet handed to accounts payable, or a batch's
    (`?format=csv` for accounts payable)."""
    if csv is not None:
        return csv.respond(service.check_requests_export(batch))
    return await service.check_requests(session, batch)


@router.post("/check-requests/batches", response_model=CheckBatchOut, status_code=201,
             responses=problem_responses(401, 403, 409))
async def batch_checks(session: SessionDep, who: Supervisor) -> CheckBatchOut:
    """Hand every open check request to accounts payable as one batch, each exactly once."""
    return await service.batch_checks(session, who)
