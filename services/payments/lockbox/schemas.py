"""API shapes of lockbox imports and the suspense queue."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class ImportOut(BaseModel):
    """An imported bank file: what it held, what posted, what waits in suspense. `duplicate`:
    this file (or the same checks) was imported before; this is that import, nothing new."""

    id: uuid.UUID
    layout: str
    origin: str
    file_id: str
    created: date
    line_count: int
    total: Decimal
    posted_count: int
    posted_total: Decimal
    suspense_count: int
    suspense_total: Decimal
    imported_by: str
    imported_at: datetime
    duplicate: bool = False


class SuspenseOut(BaseModel):
    """A deposited check not yet applied. The remitter's bank account is shown only as
    routing and last four; `remitter_key` matches other checks from the same account."""

    id: uuid.UUID
    import_id: uuid.UUID
    line_no: int
    batch: int
    item: int
    deposit_date: date
    reason: str
    amount: Decimal
    account_as_read: str
    check_number: str
    routing: str | None
    last4: str | None
    remitter_key: str | None
    status: str
    payment_id: uuid.UUID | None
    resolved_by: str | None
    resolved_at: datetime | None
    note: str | None


class ResolveIn(BaseModel):
    account_number: str = Field(min_length=1, max_length=20,
                                description="The account the check pays, with check digit")
    note: str | None = Field(default=None, max_length=500)


class ReturnIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500,
                        description="Why the check goes back to the remitter")
