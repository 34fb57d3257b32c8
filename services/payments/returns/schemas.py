"""API shapes of returned payments and of an account's cash-only flag."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from kernel.clock import Day


class ReturnIn(BaseModel):
    """A check or money order the bank sent back: the payment by `payment_id` or by
    `receipt_number` (exactly one), the bank's reason (`return_code`: NSF, STOP_PAYMENT,
    ACCOUNT_CLOSED, UNABLE_TO_LOCATE, …; OTHER needs a note) and the date on the return item.
    `waive_fee` (supervisors only) skips the returned-payment fee, with `waive_reason`."""

    payment_id: uuid.UUID | None = None
    receipt_number: StrictInt | None = Field(default=None, ge=1, le=9_223_372_036_854_775_807)
    return_code: str = Field(min_length=1, max_length=40)
    returned_on: Day
    note: str | None = Field(default=None, max_length=1000)
    waive_fee: StrictBool = False
    waive_reason: str | None = Field(default=None, max_length=500)


class ReturnOut(BaseModel):
    """A returned payment. `fee` is the returned-payment fee assessed with it (null: none, or
    waived by `fee_waived_by` for `fee_waived_reason`). `cash_only`: whether payments holds the
    account cash-only as of this answer."""

    id: uuid.UUID
    payment_id: uuid.UUID
    receipt_number: int
    account_id: uuid.UUID
    account_number: str
    amount: Decimal
    tender: str
    channel: str
    received_on: date
    reason: str
    return_code: str
    returned_on: date
    note: str | None
    fee: Decimal | None
    fee_waived_by: str | None
    fee_waived_reason: str | None
    returned_by: str
    created_at: datetime
    cash_only: bool


class CashOnlyIn(BaseModel):
    """A supervisor sets (`cash_only: true`, optionally `until` a date) or clears the flag,
    with the reason. Clearing forgives the returns dated up to today."""

    cash_only: StrictBool
    reason: str = Field(min_length=1, max_length=500)
    until: Day | None = None


class CashOnlyOut(BaseModel):
    """The account's cash-only state on `as_of`. `cash_only` is true when payments holds it
    (`reason` `returns` or `manual`, `since`, `until`: null means until cleared) or accounts'
    own flag is set (`reason` `accounts`)."""

    account_id: str
    account_number: str
    as_of: date
    cash_only: bool
    reason: Literal["returns", "manual", "accounts"] | None
    since: date | None
    until: date | None
    returns_in_window: int
    manual_reason: str | None
    changed_by: str | None
