"""Mail check batches: control figures, keyed checks, posting."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query

from kernel.auth import Principal, require_roles
from kernel.db import SessionDep, TxRoute
from kernel.errors import problem_responses
from services.payments.batches import service
from services.payments.batches.schemas import BatchIn, BatchOut, MailPaymentIn
from services.payments.posting.convert import payment_out
from services.payments.posting.schemas import PaymentOut

router = APIRouter(prefix="/api/payments/batches", tags=["payments-batches"],
                   route_class=TxRoute)
Keyer = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech"))]
Staff = Annotated[Principal, Depends(require_roles("csr1", "csr2", "billing_tech",
                                                   "supervisor"))]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("", response_model=BatchOut, status_code=201,
             responses=problem_responses(401, 403, 422))
async def open_batch(body: BatchIn, session: SessionDep, who: Keyer) -> BatchOut:
    """Open a batch with the tape's control total and count."""
    return await service.create(session, who, body.received_on, body.control_total,
                                body.control_count)


@router.get("", response_model=list[BatchOut], responses=problem_responses(401, 403, 422))
async def list_batches(session: SessionDep, _: Staff,
                       status: Literal["open", "posted"] | None = None,
                       limit: Annotated[int, Query(ge=1, le=100)] = 50) -> list[BatchOut]:
    """Batches by status, oldest received first (`open`: still being keyed), each with what
    was keyed against its control figures."""
    return await service.batches(session, status, limit)


@router.get("/{batch_id}", response_model=BatchOut,
            responses=problem_responses(401, 403, 404))
async def get_batch(batch_id: uuid.UUID, session: SessionDep, _: Staff) -> BatchOut:
    """The batch, what was keyed and how it compares with the control figures."""
    return await service.batch(session, batch_id)


@router.post("/{batch_id}/payments", response_model=PaymentOut, status_code=201,
             responses=problem_responses(401, 403, 404, 409, 422))
async def key_payment(batch_id: uuid.UUID, body: MailPaymentIn, session: SessionDep,
                      who: Keyer, idempotency_key: IdempotencyKey = None) -> PaymentOut:
    """Key one mailed check or money order (needs an Idempotency-Key); posted with the batch."""
    return payment_out(await service.key_payment(session, who, batch_id, body,
                                                 idempotency_key))


@router.delete("/{batch_id}/payments/{payment_id}", response_model=BatchOut,
               responses=problem_responses(401, 403, 404, 409))
async def remove_payment(batch_id: uuid.UUID, payment_id: uuid.UUID, session: SessionDep,
                         who: Keyer) -> BatchOut:
    """Take a mis-keyed check out of an open batch (it was never posted)."""
    return await service.remove_payment(session, who, batch_id, payment_id)


@router.post("/{batch_id}/post", response_model=BatchOut,
             responses=problem_responses(401, 403, 404, 409, 422))
async def post_batch(batch_id: uuid.UUID, session: SessionDep, who: Staff) -> BatchOut:
    """Post every keyed payment, only when count and total match the control figures."""
    return await service.post(session, who, batch_id)
