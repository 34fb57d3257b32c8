"""API shapes of mail check batches."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from kernel.clock import Day
from services.payments.posting.schemas import PaymentOut


class BatchIn(BaseModel):
    """The envelope's date and the adding-machine tape: total and number of checks."""

    received_on: Day
    control_total: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    control_count: StrictInt = Field(gt=0, le=10_000)


class MailPaymentIn(BaseModel):
    account_number: str = Field(min_length=1, max_length=20)
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    tender: Literal["check", "money_order"] = "check"
    check_number: str | None = Field(default=None, max_length=20)
    bank: str | None = Field(default=None, max_length=100)
    money_order_number: str | None = Field(default=None, max_length=40)


class BatchOut(BaseModel):
    id: uuid.UUID
    keyed_by: str
    received_on: date
    control_total: Decimal
    control_count: int
    status: str
    created_at: datetime
    posted_at: datetime | None
    posted_by: str | None
    keyed_total: Decimal
    keyed_count: int
    payments: list[PaymentOut]
