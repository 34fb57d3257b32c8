"""API models for rebate programmes, applications and check requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kernel.clock import Day

Payment = Literal["credit", "check"]
Status = Literal["pending", "approved", "denied"]


class ProgrammeOut(BaseModel):
    key: str
    name: str
    unit: str
    per_unit: Decimal
    max_units: Decimal | None
    cap: Decimal | None
    premise_kinds: list[str]


class ApplicationIn(BaseModel):
    account_id: uuid.UUID
    premise_id: uuid.UUID | None = Field(
        default=None, description="where the fixture was installed; omitted: the premise the "
        "account serves (required when it serves more than one)")
    programme: str = Field(min_length=1, max_length=40)
    units: Decimal = Field(gt=0, le=1_000_000, max_digits=12, decimal_places=2,
                           description="toilets, washers or square feet replaced")
    payment: Payment = Field(default="credit",
                             description="credit: on the bill; check: accounts payable pays")
    received_on: Day
    installed_on: Day | None = None
    note: str | None = Field(default=None, max_length=1000)


class DecisionIn(BaseModel):
    on_date: Day
    note: str | None = Field(default=None, max_length=1000)


class DenialIn(BaseModel):
    on_date: Day
    reason: str = Field(min_length=3, max_length=1000)


class ApplicationOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    customer_name: str
    premise_id: uuid.UUID
    premise_address: str
    programme: str
    units: Decimal
    amount: Decimal
    payment: Payment
    status: Status
    received_on: date
    installed_on: date | None
    note: str | None
    requested_by: str
    decided_by: str | None
    decided_on: date | None
    reason: str | None
    letter_id: uuid.UUID | None
    form_ids: list[uuid.UUID]
    check_batch: uuid.UUID | None
    created_at: datetime


class CheckRequest(BaseModel):
    """An approved rebate paid by check: what accounts payable needs to cut it."""

    application_id: uuid.UUID
    account_number: str
    payee: str
    mailing_address: str
    programme: str
    amount: Decimal
    approved_on: date
    approved_by: str
    check_batch: uuid.UUID | None


class CheckBatchOut(BaseModel):
    """Check requests handed to accounts payable together, once each."""

    batch: uuid.UUID | None
    count: int
    total: Decimal
    requests: list[CheckRequest]
