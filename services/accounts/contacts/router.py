"""Contact log, letters (PDF) and scanned documents kept with an account."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.accounts.common import Csr, Reader, ReaderOrCustomer, ensure_may_see_account
from services.accounts.contacts import service
from services.accounts.contacts.schemas import ContactIn, ContactOut, DocumentOut, LetterIn

router = APIRouter(prefix="/api/accounts/contacts", tags=["accounts-contacts"],
                   route_class=TxRoute)


@router.post("/{account_id}/log", response_model=ContactOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def log_contact(account_id: uuid.UUID, body: ContactIn, session: SessionDep,
                      who: Csr) -> ContactOut:
    """Note a call, visit or email with its category."""
    return await service.log_contact(session, who, account_id, body)


@router.get("/{account_id}/log", response_model=list[ContactOut],
            responses=problem_responses(401, 403, 404))
async def contact_log(account_id: uuid.UUID, session: SessionDep, _: Reader,
                      limit: int = Query(default=100, ge=1, le=500)) -> list[ContactOut]:
    """The account's contact history, newest first."""
    return await service.contacts(session, account_id, limit)


@router.post("/{account_id}/letters", response_model=DocumentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def send_letter(account_id: uuid.UUID, body: LetterIn, session: SessionDep,
                      who: Csr) -> DocumentOut:
    """Render a letter from a template (in the account's language) and keep it."""
    return await service.send_template_letter(session, who, account_id, body, utility_today())


@router.post("/{account_id}/documents", response_model=DocumentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def upload_document(
    account_id: uuid.UUID, session: SessionDep, who: Csr,
    file: Annotated[UploadFile, File()], title: Annotated[str, Form(max_length=200)],
) -> DocumentOut:
    """Attach a scanned document (PDF or image, up to 10 MiB)."""
    data = await file.read()
    return await service.upload_scan(session, who, account_id, title,
                                     file.filename or "scan", file.content_type or "", data)


@router.get("/{account_id}/documents", response_model=list[DocumentOut],
            responses=problem_responses(401, 403, 404))
async def list_documents(account_id: uuid.UUID, session: SessionDep,
                         who: ReaderOrCustomer) -> list[DocumentOut]:
    """Letters and scans kept with the account, newest first."""
    ensure_may_see_account(who, account_id)
    return await service.documents(session, account_id)


@router.get("/documents/{document_id}", responses={
    200: {"content": {"application/pdf": {}}}, **problem_responses(401, 403, 404)})
async def download_document(document_id: uuid.UUID, session: SessionDep,
                            who: ReaderOrCustomer) -> Response:
    """The document's bytes."""
    doc, data = await service.document_bytes(session, who, document_id)
    return Response(data, media_type=doc.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{doc.filename}"'})
