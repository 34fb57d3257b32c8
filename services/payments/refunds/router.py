"""Refunds of credit balances and deposits, and their check-request exports."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Response

from kernel.auth import Principal, require_roles
from kernel.clock import utility_today
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.refunds import service
from services.payments.refunds.schemas import (
    CheckRequestOut,
    DepositReleaseOut,
    Reason,
    RefundIn,
    RefundOut,
)

router = APIRouter(prefix="/api/payments/refunds", tags=["payments-refunds"],
                   route_class=TxRoute)
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
Supervisor = Annotated[Principal, Depends(require_roles("supervisor"))]
Exporter = Annotated[Principal, Depends(require_roles("billing_tech", "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
Limit = Annotated[int, Query(ge=1, le=500)]
AccountNumber = Annotated[str | None, Query(max_length=20)]


@router.post("/check-requests", response_model=CheckRequestOut, status_code=201,
             responses=problem_responses(401, 403, 409, 422))
async def export_check_request(session: SessionDep, who: Exporter,
                               idempotency_key: IdempotencyKey = None) -> CheckRequestOut:
    """One export of every approved refund not yet exported; exporting issues them
    (`payments.RefundIssued`). Needs an Idempotency-Key: the same key answers with the same
    file. A refund above its account's credit now is 409 naming it (nothing issued)."""
    return await service.export(session, who, idempotency_key, utility_today())


@router.get("/check-requests", response_model=list[CheckRequestOut],
            responses=problem_responses(401, 403, 422))
async def list_check_requests(session: SessionDep, _: Exporter,
                              limit: Limit = 50) -> list[CheckRequestOut]:
    """Check-request exports, newest first."""
    return await service.check_requests(session, limit)


@router.get("/check-requests/{check_request_id}", response_model=CheckRequestOut,
            responses=problem_responses(401, 403, 404))
async def get_check_request(check_request_id: uuid.UUID, session: SessionDep,
                            _: Exporter) -> CheckRequestOut:
    return await service.check_request(session, check_request_id)


@router.get("/check-requests/{check_request_id}/csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 404)})
async def download_check_request(check_request_id: uuid.UUID, session: SessionDep,
                                 _: Exporter) -> Response:
    """The CSV for accounts payable, exactly as exported."""
    name, content = await service.check_request_csv(session, check_request_id)
    return Response(content, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/deposit-releases", response_model=list[DepositReleaseOut],
            responses=problem_responses(401, 403, 404, 422))
async def list_deposit_releases(
        session: SessionDep, _: Staff, account: AccountNumber = None,
        status: Literal["awaiting_ledger", "awaiting_deposit", "credited", "refund_requested",
                        "nothing_to_refund"] | None = None,
        limit: Limit = 100) -> list[DepositReleaseOut]:
    """Deposits accounts released, and what became of each (`awaiting_ledger`: billing has
    not applied it yet, so no refund is sized)."""
    return await service.deposit_releases(session, account, status, limit)


@router.post("", response_model=RefundOut, status_code=201,
             responses=problem_responses(401, 403, 404, 422))
async def request_refund(body: RefundIn, session: SessionDep, who: Staff,
                         idempotency_key: IdempotencyKey = None) -> RefundOut:
    """Request a refund of the account's credit balance; it waits for a supervisor. More than
    the credit available is 422 with the `credit`. Needs an Idempotency-Key."""
    return await service.request(session, who, body.account_number, body.amount, body.reason,
                                 idempotency_key)


@router.get("", response_model=list[RefundOut], responses=problem_responses(401, 403, 404, 422))
async def list_refunds(session: SessionDep, _: Staff, account: AccountNumber = None,
                       status: Literal["pending", "approved", "rejected", "issued",
                                       "voided"] | None = None,
                       check_request_id: uuid.UUID | None = None,
                       limit: Limit = 100) -> list[RefundOut]:
    """Refunds, oldest first (`status=pending`: the approval worklist)."""
    return await service.listing(session, account, status, check_request_id, limit)


@router.get("/{refund_id}", response_model=RefundOut,
            responses=problem_responses(401, 403, 404))
async def get_refund(refund_id: uuid.UUID, session: SessionDep, _: Staff) -> RefundOut:
    return await service.get(session, refund_id)


@router.post("/{refund_id}/approve", response_model=RefundOut,
             responses=problem_responses(401, 403, 404, 409))
async def approve_refund(refund_id: uuid.UUID, session: SessionDep,
                         who: Supervisor) -> RefundOut:
    """A supervisor approves (not their own request, within their authority); the credit is
    checked again (409 with the `credit` when it no longer covers the refund)."""
    return await service.approve(session, who, refund_id)


@router.post("/{refund_id}/reject", response_model=RefundOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def reject_refund(refund_id: uuid.UUID, body: Reason, session: SessionDep,
                        who: Supervisor) -> RefundOut:
    """Turn down a waiting or approved (not yet exported) refund, with the reason."""
    return await service.reject(session, who, refund_id, body.reason)


@router.post("/{refund_id}/void", response_model=RefundOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def void_refund(refund_id: uuid.UUID, body: Reason, session: SessionDep,
                      who: Supervisor) -> RefundOut:
    """Void an issued refund whose check was not cut (`payments.RefundVoided`: billing posts
    the reversing entry)."""
    return await service.void(session, who, refund_id, body.reason, utility_today())
