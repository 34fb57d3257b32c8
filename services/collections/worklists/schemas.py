"""API shapes of the call list, calls and promises."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kernel.clock import Day

Outcome = Literal["reached", "left_message", "no_answer", "wrong_number", "promise_made",
                  "refused"]


class CallListItem(BaseModel):
    account_id: uuid.UUID
    number: str | None
    name: str | None
    language: str | None
    phones: list[str]
    cycle: str | None
    past_due: Decimal
    balance: Decimal
    oldest_due_date: date
    days_past_due: int
    last_outcome: str | None
    last_called_at: datetime | None
    last_called_by: str | None
    promise_id: uuid.UUID | None
    promised_on: date | None
    promise_amount: Decimal | None
    arrangement_id: uuid.UUID | None


class CallList(BaseModel):
    """One row per past-due account, most days past due first; `total` counts every row that
    matches the filters (not only this page)."""

    as_of: date
    total: int
    limit: int
    offset: int
    items: list[CallListItem]


class PromiseIn(BaseModel):
    promised_on: Day
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)


class CallIn(BaseModel):
    outcome: Outcome
    note: str = Field(default="", max_length=1000)
    phone: str | None = Field(default=None, max_length=40)
    promise: PromiseIn | None = Field(default=None,
                                      description="With outcome promise_made, and only then")


class PromiseOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    promised_on: date
    amount: Decimal
    status: Literal["open", "kept", "broken", "cancelled"]
    made_on: date
    closed_on: date | None
    cancel_reason: str | None
    created_by: str
    changed_by: str | None


class CallOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    outcome: str
    note: str
    phone: str | None
    called_on: date
    called_by: str
    called_role: str
    called_at: datetime
    promise: PromiseOut | None


class Cancellation(BaseModel):
    reason: str = Field(min_length=1, max_length=500)
