"""API shapes of autopay. A bank account number comes in once, at enrolment, and never goes out:
every answer shows it masked (`display`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kernel.clock import Day


class EnrolIn(BaseModel):
    """`bank`: `routing_number`, `account_number`, `account_type` (a prenote proves a new
    account before money moves). `card`: `card_token`, the processor's token from its hosted
    page (never a card number), or `method_id`, one of the account's saved cards (the portal's
    way: the token stays on the server). `holder_name` is the name on the bank account (default: the
    account holder's)."""

    method: Literal["bank", "card"]
    routing_number: str | None = Field(default=None, max_length=20)
    account_number: str | None = Field(default=None, max_length=40)
    account_type: Literal["checking", "savings"] = "checking"
    card_token: str | None = Field(default=None, max_length=200)
    method_id: uuid.UUID | None = None
    holder_name: str | None = Field(default=None, max_length=100)


class CancelIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class EnrolmentOut(BaseModel):
    """`live_from`: the first date a live bank debit may settle (null until the prenote is in a
    file); a card enrolment is live at once."""

    id: uuid.UUID
    account_id: uuid.UUID
    method: str
    status: str
    display: str
    holder_name: str
    routing_number: str | None
    account_type: str | None
    prenote_required: bool
    prenote_effective_on: date | None
    live_from: date | None
    enrolled_on: date
    enrolled_by: str
    cancelled_on: date | None
    cancel_reason: str | None
    return_code: str | None


class RunIn(BaseModel):
    today: Day


class DebitOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    enrolment_id: uuid.UUID
    method: str
    amount: Decimal
    due_date: date
    debit_on: date
    status: str
    drop_reason: str | None
    trace_number: str | None
    payment_id: uuid.UUID | None


class Skipped(BaseModel):
    """A bill due soon that got no debit, and why (`nothing_due`, `account_closed`, ...)."""

    account_id: uuid.UUID
    bill_id: uuid.UUID | None
    reason: str


class RunOut(BaseModel):
    """One day's run. Running it again the same day creates nothing already created: `scheduled`
    lists only what this call added."""

    today: date
    scheduled: list[DebitOut]
    charged: list[DebitOut]
    dropped: list[DebitOut]
    skipped: list[Skipped]


class FileIn(BaseModel):
    """`effective_on`: the settlement date written in the file (default: the first a file sent
    `today` can have, one banking day later)."""

    today: Day
    effective_on: Day | None = None


class FileOut(BaseModel):
    id: uuid.UUID
    cut_on: date
    effective_on: date
    sha256: str
    entry_count: int
    debit_count: int
    prenote_count: int
    total: Decimal
    entry_hash: int
    block_count: int
    cut_by: str
    cut_at: datetime


class FileCutOut(BaseModel):
    """`file` is null when nothing was due and no prenote waited (no file is written);
    `duplicate` when the day's file had been cut before (it is answered again, unchanged).
    `dropped`: debits taken out at the cut (bill cancelled, nothing due any more); `held`:
    debits due but waiting for their prenote to age."""

    file: FileOut | None
    duplicate: bool
    debits: list[DebitOut]
    dropped: list[DebitOut]
    held: list[DebitOut]


class ReturnLine(BaseModel):
    original_trace: str
    kind: Literal["return", "change"]
    code: str
    outcome: str
    account_id: uuid.UUID | None
    payment_id: uuid.UUID | None
    amount: Decimal | None


class ReturnImportOut(BaseModel):
    id: uuid.UUID
    sha256: str
    received_on: date
    return_count: int
    change_count: int
    applied_count: int
    unmatched_count: int
    imported_by: str
    imported_at: datetime
    duplicate: bool
    lines: list[ReturnLine]


class RotateOut(BaseModel):
    """How many sealed values were re-sealed under `key_id` (the rest already were)."""

    key_id: str
    enrolments: int
    files: int
