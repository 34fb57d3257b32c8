"""Autopay: enrolment by staff and by the customer in the portal, the daily run, the NACHA file
for the district's bank, and the bank's return file."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import PlainTextResponse

from kernel.auth import Principal, ensure_own_account, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.autopay import returnfile, service
from services.payments.autopay.returns import MAX_FILE_BYTES
from services.payments.autopay.schemas import (
    CancelIn,
    DebitOut,
    EnrolIn,
    EnrolmentOut,
    FileCutOut,
    FileIn,
    ReturnImportOut,
    RotateOut,
    RunIn,
    RunOut,
)
from services.payments.processors.base import Processor

router = APIRouter(prefix="/api/payments", tags=["payments-autopay"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Operator = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor"))]
#: The daily run: staff, or the nightly update (`kernel/servicetoken.py`).
Job = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor", "system"))]
Admin = Annotated[Principal, Depends(require_roles("admin", "supervisor"))]
Customer = Annotated[Principal, Depends(require_roles("customer", "csr1", "csr2",
                                                      "billing_tech", "supervisor"))]


def _processor(request: Request) -> Processor:
    processor: Processor = request.app.state.processor
    return processor


# ---- staff ------------------------------------------------------------------------------------

@router.get("/autopay/accounts/{account_id}", response_model=EnrolmentOut,
            responses=problem_responses(401, 403, 404))
async def staff_enrolment(account_id: uuid.UUID, session: SessionDep,
                          _: Staff) -> EnrolmentOut:
    """The account's active enrolment, else its latest one (ended, with why)."""
    return await service.enrolment(session, account_id)


@router.post("/autopay/accounts/{account_id}", response_model=EnrolmentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def staff_enrol(account_id: uuid.UUID, body: EnrolIn, request: Request,
                      session: SessionDep, who: Staff) -> EnrolmentOut:
    """Enrol the account on the customer's behalf (their signed authorisation on file). A bank
    account is prenoted before live debits; the number is kept encrypted and shown masked."""
    return await service.enrol(session, who, account_id, body, utility_today(),
                               _processor(request))


@router.post("/autopay/accounts/{account_id}/cancel", response_model=EnrolmentOut,
             responses=problem_responses(401, 403, 404, 422))
async def staff_cancel(account_id: uuid.UUID, body: CancelIn, session: SessionDep,
                       who: Staff) -> EnrolmentOut:
    """End the account's enrolment today; its scheduled debits are dropped."""
    return await service.cancel(session, who, account_id, body.reason, utility_today())


@router.get("/autopay/accounts/{account_id}/debits", response_model=list[DebitOut],
            responses=problem_responses(401, 403))
async def account_debits(account_id: uuid.UUID, session: SessionDep,
                         _: Staff) -> list[DebitOut]:
    """The account's autopay debits, newest bill first."""
    return await service.debits(session, account_id)


@router.post("/autopay/bank-keys/rotate", response_model=RotateOut,
             responses=problem_responses(401, 403))
async def rotate_bank_keys(session: SessionDep, who: Admin) -> RotateOut:
    """Re-seal every stored bank account number and NACHA file under the newest key of
    `TAPLINE_BANK_KEYS`, so an old key can then be dropped (README). Safe to repeat."""
    return await service.rotate_keys(session, who)


@router.post("/autopay/run", response_model=RunOut,
             responses=problem_responses(401, 403, 422))
async def run(body: RunIn, request: Request, session: SessionDep, who: Job) -> RunOut:
    """The daily job: schedule debits for bills due within the lead days, charge the card
    debits due today. Safe to repeat: the same day again adds only what is new."""
    return await service.run(session, who, body.today, _processor(request))


@router.post("/autopay/files", response_model=FileCutOut,
             responses=problem_responses(401, 403, 422))
async def cut_file(body: FileIn, session: SessionDep, who: Operator) -> FileCutOut:
    """Cut the day's NACHA file and post its debits. The same day again answers with the file
    already cut (`duplicate`), posting nothing."""
    return await service.cut_file(session, who, body.today, body.effective_on)


@router.get("/autopay/files/{file_id}", response_class=PlainTextResponse,
            responses={**problem_responses(401, 403, 404),
                       200: {"content": {"text/plain": {}}, "description": "The NACHA file"}})
async def download_file(file_id: uuid.UUID, session: SessionDep,
                        who: Operator) -> PlainTextResponse:
    """The file as sent to the bank (94-character records); `Digest` carries its SHA-256."""
    content, sha256 = await service.file_text(session, who, file_id)
    return PlainTextResponse(content, headers={
        "Content-Disposition": f'attachment; filename="autopay-{file_id}.ach"',
        "Repr-Digest": f"sha-256=:{sha256}:", "Cache-Control": "no-store"})


@router.post("/autopay/returns", response_model=ReturnImportOut, status_code=201,
             responses=problem_responses(401, 403, 413, 422))
async def import_returns(session: SessionDep, who: Operator,
                         file: Annotated[UploadFile, File()],
                         received_on: Annotated[Day, Form()]) -> ReturnImportOut:
    """Import the bank's return file: each return reverses its debit's payment (R01/R09 keep
    the enrolment, others end it); prenote returns end the enrolment, notifications of change
    correct it. The same file again changes nothing (`duplicate`)."""
    content = await file.read(MAX_FILE_BYTES + 1)
    return await returnfile.import_file(session, who, content, received_on)


# ---- the customer, in the portal --------------------------------------------------------------

@router.get("/portal/accounts/{account_id}/autopay", response_model=EnrolmentOut,
            responses=problem_responses(401, 403, 404))
async def portal_enrolment(account_id: uuid.UUID, session: SessionDep,
                           who: Customer) -> EnrolmentOut:
    """The customer's own enrolment (an account not in their login answers 404)."""
    ensure_own_account(who, account_id)
    return await service.enrolment(session, account_id)


@router.post("/portal/accounts/{account_id}/autopay", response_model=EnrolmentOut,
             status_code=201, responses=problem_responses(401, 403, 404, 409, 422))
async def portal_enrol(account_id: uuid.UUID, body: EnrolIn, request: Request,
                       session: SessionDep, who: Customer) -> EnrolmentOut:
    """The customer enrols their own account (bank account or a card token from the
    processor's hosted page)."""
    ensure_own_account(who, account_id)
    return await service.enrol(session, who, account_id, body, utility_today(),
                               _processor(request))


@router.get("/portal/accounts/{account_id}/autopay/debits", response_model=list[DebitOut],
            responses=problem_responses(401, 403, 404))
async def portal_debits(account_id: uuid.UUID, session: SessionDep,
                        who: Customer) -> list[DebitOut]:
    """The customer's autopay debits: what will be taken and when, and what was."""
    ensure_own_account(who, account_id)
    return await service.debits(session, account_id)


@router.delete("/portal/accounts/{account_id}/autopay", response_model=EnrolmentOut,
               responses=problem_responses(401, 403, 404))
async def portal_cancel(account_id: uuid.UUID, session: SessionDep,
                        who: Customer) -> EnrolmentOut:
    """The customer stops autopay; nothing scheduled is taken."""
    ensure_own_account(who, account_id)
    return await service.cancel(session, who, account_id, "cancelled by the customer",
                                utility_today())
