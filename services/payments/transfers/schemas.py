"""API shapes of transfers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, StrictInt


class TransferIn(BaseModel):
    """The payment by `payment_id` or `receipt_number` (exactly one), the account it belongs
    to, and how much of it moves."""

    payment_id: uuid.UUID | None = None
    receipt_number: StrictInt | None = Field(default=None, ge=1, le=9_223_372_036_854_775_807)
    to_account_number: str = Field(min_length=1, max_length=20,
                                   description="With its check digit: 100027457 or 10002745-7")
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2,
                            description="At most what of the payment is not yet transferred "
                                        "or returned")
    reason: str = Field(min_length=1, max_length=500)


class Rejection(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class TransferOut(BaseModel):
    id: uuid.UUID
    payment_id: uuid.UUID
    receipt_number: int
    from_account_id: uuid.UUID
    from_account_number: str
    to_account_id: uuid.UUID
    to_account_number: str
    amount: Decimal
    reason: str
    status: str
    requested_by: str
    requested_role: str
    approved_by: str | None
    rejected_by: str | None
    rejection_reason: str | None
    transferred_on: date | None
    created_at: datetime
    decided_at: datetime | None
