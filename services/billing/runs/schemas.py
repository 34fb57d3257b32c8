"""API shapes of bill runs."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from services.billing.common import BizDate


class RunIn(BaseModel):
    cycle: str = Field(min_length=1, max_length=20)
    period_start: BizDate
    period_end: BizDate
    bill_date: BizDate | None = None
    messages: list[str] = Field(default=[], max_length=5,
                                description="printed on every statement of the run")


class AccountRunIn(BaseModel):
    period_start: BizDate
    period_end: BizDate
    bill_date: BizDate | None = None


RunStatus = Literal["preview", "prepared", "approved", "finalised", "discarded"]
RunKind = Literal["cycle", "closing", "rebill", "account"]


class RunOut(BaseModel):
    id: uuid.UUID
    cycle: str
    kind: str
    account_id: uuid.UUID | None
    period_start: date
    period_end: date
    bill_date: date
    due_date: date
    status: str
    created_by: str
    prepared_by: str | None
    approved_by: str | None
    finalised_by: str | None
    finalised_at: datetime | None
    bills: int
    total: Decimal
    flagged: int
    held: int
    flags: dict[str, int]
    held_for_copy: int = Field(default=0, description=(
        "bills held out of the run (flag `awaiting_copy`, listed among its bills) because a "
        "read of the account waits for billing's copy of accounts to catch up"))


class RunBill(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    number: str | None
    total: Decimal
    flags: list[str]
    status: str


class Hold(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class RebillIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class ReviewThresholdsIO(BaseModel):
    max_total: Decimal = Field(default=Decimal("1000.00"), gt=0)
    change: Decimal = Field(default=Decimal("0.5"), gt=0)
    due_days: StrictInt = Field(default=21, ge=1, le=90)
