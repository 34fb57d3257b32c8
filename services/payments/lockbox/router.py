"""Lockbox: the bank's file of mailed checks imported, and the suspense queue staff work."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.lockbox import service
from services.payments.lockbox.domain import MAX_BYTES
from services.payments.lockbox.schemas import ImportOut, ResolveIn, ReturnIn, SuspenseOut

router = APIRouter(prefix="/api/payments/lockbox", tags=["payments-lockbox"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("billing_tech", "csr1", "csr2",
                                                   "supervisor"))]


@router.post("/imports", response_model=ImportOut, status_code=201,
             responses=problem_responses(401, 403, 409, 413, 422))
async def import_file(session: SessionDep, who: Staff,
                      file: Annotated[UploadFile, File()]) -> ImportOut:
    """Import the bank's lockbox file (docs/lockbox.md): matched checks post, the rest wait in
    suspense. The same file (or the same checks) again answers with the first import
    (`duplicate`) and posts nothing; a file id re-used for other checks is 409."""
    content = await file.read(MAX_BYTES + 1)
    return await service.import_file(session, who, content)


@router.get("/imports/{import_id}", response_model=ImportOut,
            responses=problem_responses(401, 403, 404))
async def get_import(import_id: uuid.UUID, session: SessionDep, _: Staff) -> ImportOut:
    return await service.get_import(session, import_id)


@router.get("/suspense", response_model=list[SuspenseOut],
            responses=problem_responses(401, 403, 422))
async def suspense(session: SessionDep, _: Staff,
                   status: Literal["open", "resolved", "returned"] | None = "open",
                   limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[SuspenseOut]:
    """Suspense lines, oldest deposit first (`open`: the worklist)."""
    return await service.suspense(session, status, limit)


@router.post("/suspense/{suspense_id}/resolve", response_model=SuspenseOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def resolve(suspense_id: uuid.UUID, body: ResolveIn, session: SessionDep,
                  who: Staff) -> SuspenseOut:
    """Apply the check to an account: it posts once, under the line's own key."""
    return await service.resolve(session, who, suspense_id, body.account_number, body.note)


@router.post("/suspense/{suspense_id}/return", response_model=SuspenseOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def return_check(suspense_id: uuid.UUID, body: ReturnIn, session: SessionDep,
                       who: Staff) -> SuspenseOut:
    """Send the check back to its remitter, with the reason; nothing posts."""
    return await service.return_line(session, who, suspense_id, body.reason)
