"""API shapes of notices and their print batches."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from kernel.clock import Day


class NoticeOut(BaseModel):
    """A notice as kept on the account; its PDF is `pdf` (rendered from these facts)."""

    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    addressee: str
    reference: str
    status: str
    created_on: date
    released_on: date | None
    amount: Decimal | None
    action_on: date | None
    deliver_by: date | None
    language: str
    preferred_language: str
    delivery: str
    copies: int
    parent_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    void_reason: str | None
    voided_by: str | None
    pdf: str


class BatchIn(BaseModel):
    today: Day | None = Field(None, description="The batch's day (default: today): the "
                              "notices queued on it or before and not yet batched")


class ReleaseIn(BaseModel):
    today: Day | None = Field(None, description="The release day (default: today)")


class RejectIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500)


class VoidIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500)
    today: Day | None = None


class KindCountOut(BaseModel):
    kind: str
    addressee: str
    notices: int


class BatchOut(BaseModel):
    id: uuid.UUID
    batch_on: date
    status: str
    notices: int
    created_by: str
    approved_by: str | None
    released_by: str | None
    released_on: date | None
    rejected_by: str | None
    reason: str | None
    print_pdf: str
    manifest_csv: str
    by_kind: list[KindCountOut] = []


class AwaitingOut(BaseModel):
    """The supervisor's view: batches awaiting approval (with what they hold), and the queued
    notices not batched yet."""

    batches: list[BatchOut]
    unbatched: list[KindCountOut]


class VoidOut(BaseModel):
    voided: int
