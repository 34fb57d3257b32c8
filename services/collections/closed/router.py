"""Closed accounts still owing after the closing bill: the worklist, balance transfers, the
collection agency (referral files, its payments) and write-offs."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Header, Query, Response, UploadFile

from kernel.auth import Principal, require_roles
from kernel.clock import Day, utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.collections.closed import service
from services.collections.closed.schemas import (
    AgencyPaymentIn,
    AgencyPaymentOut,
    ApproveIn,
    CaseDetail,
    CaseOut,
    DeclineIn,
    PaymentsFileOut,
    ReferralOut,
    RejectIn,
    RunIn,
    RunOut,
    TransferIn,
    TransferOut,
    WriteOffIn,
    WriteOffOut,
)

router = APIRouter(prefix="/api/collections", tags=["collections-closed"], route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Worker = Annotated[Principal, Depends(require_roles("csr2", "billing_tech", "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
Runner = Annotated[Principal, Depends(require_roles("supervisor", "admin"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
Today = Annotated[Day | None, Query(description="The day (default: today)")]


@router.post("/closed/run", response_model=RunOut, responses=problem_responses(401, 403, 422))
async def run_closed(body: RunIn, session: SessionDep, who: Runner,
                     idempotency_key: IdempotencyKey = None) -> RunOut:
    """The daily step of closed accounts (the daily job runs it too): open cases, end the paid
    ones, take collection letters 1 and 2 on their days. Twice on one day does nothing new."""
    return await service.run(session, who, body.today or utility_today())


@router.get("/closed", response_model=list[CaseOut], responses=problem_responses(401, 403, 422))
async def closed_worklist(
        session: SessionDep, _: Staff, today: Today = None,
        stage: Literal["open", "transfer_offered", "letters", "referred", "ended"] = "open",
        limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[CaseOut]:
    """Closed accounts still owing after the closing bill, each with its next step."""
    return await service.worklist(session, today or utility_today(), stage, limit)


@router.get("/closed/{account_id}", response_model=CaseDetail,
            responses=problem_responses(401, 403, 404, 422))
async def closed_case(account_id: uuid.UUID, session: SessionDep, _: Staff,
                      today: Today = None) -> CaseDetail:
    """One closed account's case: its stage, transfer, the agency's payments, write-offs."""
    return await service.case(session, account_id, today or utility_today())


@router.post("/closed/{account_id}/transfer", response_model=TransferOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def transfer_balance(account_id: uuid.UUID, body: TransferIn, session: SessionDep,
                           who: Worker, idempotency_key: IdempotencyKey = None) -> TransferOut:
    """Confirm the transfer of the closed account's balance to the customer's active account
    (`collections.BalanceTransferred`; billing posts both entries). Takes an Idempotency-Key."""
    return await service.confirm_transfer(session, who, account_id, body,
                                          body.today or utility_today())


@router.post("/closed/{account_id}/decline-transfer", response_model=CaseOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def decline_transfer(account_id: uuid.UUID, body: DeclineIn, session: SessionDep,
                           who: Worker, today: Today = None) -> CaseOut:
    """Decline the offered transfer, with the reason: the collection letters start."""
    return await service.decline_transfer(session, who, account_id, body.reason,
                                          today or utility_today())


@router.post("/closed/{account_id}/write-off", response_model=WriteOffOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def request_write_off(account_id: uuid.UUID, body: WriteOffIn, session: SessionDep,
                            who: Staff, idempotency_key: IdempotencyKey = None) -> WriteOffOut:
    """Ask to write off what the closed account owes; a supervisor who is not you approves.
    Takes an Idempotency-Key."""
    return await service.request_write_off(session, who, account_id, body.reason,
                                           body.today or utility_today())


@router.get("/write-offs", response_model=list[WriteOffOut],
            responses=problem_responses(401, 403, 422))
async def list_write_offs(session: SessionDep, _: Staff,
                          status: Literal["pending", "approved", "rejected"] | None = None,
                          limit: Annotated[int, Query(ge=1, le=1000)] = 200
                          ) -> list[WriteOffOut]:
    """Write-offs, oldest first (`status=pending`: awaiting a supervisor)."""
    return await service.write_offs(session, status, limit)


@router.get("/write-offs/{write_off_id}", response_model=WriteOffOut,
            responses=problem_responses(401, 403, 404))
async def get_write_off(write_off_id: uuid.UUID, session: SessionDep, _: Staff) -> WriteOffOut:
    return await service.write_off(session, write_off_id)


@router.post("/write-offs/{write_off_id}/approve", response_model=WriteOffOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def approve_write_off(write_off_id: uuid.UUID, body: ApproveIn, session: SessionDep,
                            who: Supervisor, idempotency_key: IdempotencyKey = None
                            ) -> WriteOffOut:
    """Approve a write-off (a supervisor, not the requester, within authority):
    `collections.WrittenOff`, and billing posts the `write_off` credit."""
    return await service.approve_write_off(session, who, write_off_id,
                                           body.today or utility_today())


@router.post("/write-offs/{write_off_id}/reject", response_model=WriteOffOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def reject_write_off(write_off_id: uuid.UUID, body: RejectIn, session: SessionDep,
                           who: Supervisor) -> WriteOffOut:
    return await service.reject_write_off(session, who, write_off_id, body.reason)


@router.post("/agency/referrals", response_model=ReferralOut, status_code=201,
             responses=problem_responses(401, 403, 422))
async def refer_to_agency(body: RunIn, session: SessionDep, who: Worker,
                          idempotency_key: IdempotencyKey = None) -> ReferralOut:
    """Refer every account due (letter 2 sent `referral_days` ago, owing at least the agency's
    minimum) in one referral; its file: `GET /agency/referrals/{id}.csv`. Takes an
    Idempotency-Key."""
    return await service.refer(session, who, body.today or utility_today())


@router.get("/agency/referrals", response_model=list[ReferralOut],
            responses=problem_responses(401, 403, 422))
async def list_referrals(session: SessionDep, _: Staff,
                         limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[ReferralOut]:
    return await service.referrals(session, limit)


@router.get("/agency/referrals/{referral_id}.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 404)})
async def referral_file(referral_id: uuid.UUID, session: SessionDep, _: Staff) -> Response:
    """The referral file for the agency (CSV): account, name, last known mailing address,
    phones, e-mails, language, amount, last payment date, closed date, referred date."""
    name, body = await service.referral_csv(session, referral_id)
    return Response(body, media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/agency/recalls.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 422)})
async def recall_file(session: SessionDep, _: Staff, since: Annotated[Day, Query()],
                      until: Today = None) -> Response:
    """Accounts recalled from the agency between two days (paid, transferred, written off)."""
    body = await service.recalls_csv(session, since, until or utility_today())
    return Response(body, media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="recalls-{since}.csv"'})


@router.post("/agency/payments", response_model=AgencyPaymentOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def record_agency_payment(body: AgencyPaymentIn, session: SessionDep, who: Worker,
                                idempotency_key: IdempotencyKey = None) -> AgencyPaymentOut:
    """Record one payment the agency collected, with its commission. The agency's reference
    makes it once: reported again, the first record is answered."""
    return await service.record_payment(session, who, body)


@router.post("/agency/payments/file", response_model=PaymentsFileOut, status_code=201,
             responses=problem_responses(401, 403, 413, 422))
async def record_agency_payments_file(session: SessionDep, who: Worker,
                                      file: Annotated[UploadFile, File()]) -> PaymentsFileOut:
    """The agency's payments file (CSV: account,amount,commission,paid_on,reference): all lines
    or none; a file sent twice records nothing new."""
    content = await file.read(service.MAX_BYTES + 1)
    return await service.record_payments_file(session, who, file.filename or "file", content)
