"""API shapes of refunds and check requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class RefundIn(BaseModel):
    """A refund of the account's credit balance (deposits come from accounts' release)."""

    account_number: str = Field(min_length=1, max_length=20,
                                description="With its check digit: 100027457 or 10002745-7")
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2,
                            description="At most the account's credit not yet claimed")
    reason: str = Field(min_length=1, max_length=500)


class Reason(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class RefundOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    amount: Decimal
    source: str
    reason: str
    status: str
    requested_by: str
    requested_role: str
    approved_by: str | None
    approved_at: datetime | None
    rejected_by: str | None
    rejection_reason: str | None
    check_request_id: uuid.UUID | None
    issued_on: date | None
    voided_by: str | None
    void_reason: str | None
    created_at: datetime


class CheckRequestOut(BaseModel):
    """One export for accounts payable; its CSV at `/refunds/check-requests/{id}/csv`."""

    id: uuid.UUID
    requested_by: str
    refund_count: int
    total: Decimal
    filename: str
    created_at: datetime
    refund_ids: list[uuid.UUID]


class DepositReleaseOut(BaseModel):
    """A released deposit as payments sees it: `awaiting_ledger` until billing has applied it,
    `awaiting_deposit` when billing's entry came first, then `refund_requested`,
    `nothing_to_refund` (it all went to the balance owed) or `credited` (method credit)."""

    deposit_event_id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal | None
    method: str | None
    status: str
    refund_id: uuid.UUID | None
    created_at: datetime
    decided_at: datetime | None
