"""API shapes of arrangements."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from kernel.clock import Day


class InstalmentIn(BaseModel):
    due_on: Day
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)


class ArrangementIn(BaseModel):
    """`amortised`: `months` monthly instalments (default and most: the policy's
    `default_months`) from `first_due_on` (default: a month from today). `alternative`: staff's
    own `instalments`, summing to the total. `deferral`: the whole total on `defer_to`.
    `total` defaults to what is past due today."""

    kind: Literal["amortised", "alternative", "deferral"]
    total: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=2)
    months: StrictInt | None = Field(default=None, ge=1, le=60)
    first_due_on: Day | None = None
    instalments: list[InstalmentIn] | None = Field(default=None, max_length=60)
    defer_to: Day | None = None
    note: str | None = Field(default=None, max_length=500)


class Cancellation(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class InstalmentOut(BaseModel):
    seq: int
    due_on: date
    amount: Decimal
    paid: Decimal
    past_due_days: int = Field(description="Days since its due date while it is short")


class ArrangementOut(BaseModel):
    """`paid` is what the credits posted since `made_on` have paid of it as of `as_of`, after
    the debits that came due meanwhile (the current bill stays due as usual)."""

    id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    status: Literal["active", "completed", "broken", "cancelled"]
    total: Decimal
    paid: Decimal
    left: Decimal
    made_on: date
    completed_on: date | None
    broken_on: date | None
    cancelled_on: date | None
    cancel_reason: str | None
    created_by: str
    changed_by: str | None
    as_of: date
    instalments: list[InstalmentOut]


class StandingOut(BaseModel):
    status: Literal["none", "active", "broken", "completed"]
    arrangement_id: uuid.UUID | None
    broken_on: date | None
    final_notice_on: date | None


class DailyOut(BaseModel):
    counts: dict[str, int]




class ListedOut(BaseModel):
    """`behind_since`: the due date of the oldest instalment still short (null when none is);
    `behind`: what is short of the instalments due before the day."""

    id: uuid.UUID
    account_id: uuid.UUID
    account_number: str | None
    name: str | None
    kind: str
    status: str
    total: Decimal
    made_on: date
    paid: Decimal
    behind_since: date | None
    behind: Decimal
    days_behind: int


class Listing(BaseModel):
    as_of: date
    total: int
    limit: int
    offset: int
    items: list[ListedOut]
