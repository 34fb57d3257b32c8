"""API shapes of a payment: what is keyed in, and the receipt it answers with."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Amount = Field(gt=0, max_digits=14, decimal_places=2,
               description="Above zero, at most two decimal places")


class PaymentIn(BaseModel):
    """One payment for one account. The tender's details: `check_number` and `bank` for a
    check, `money_order_number` for a money order, `processor_token` for a card or bank payment
    (a processor's token, never a card or account number)."""

    account_number: str = Field(min_length=1, max_length=20,
                                description="With its check digit: 100027457 or 10002745-7")
    amount: Decimal = Amount
    tender: Literal["cash", "check", "money_order", "card", "bank"]
    check_number: str | None = Field(default=None, max_length=20)
    bank: str | None = Field(default=None, max_length=100)
    money_order_number: str | None = Field(default=None, max_length=40)
    processor_token: str | None = Field(default=None, max_length=200)


class PaymentOut(BaseModel):
    id: uuid.UUID
    receipt_number: int
    account_id: uuid.UUID
    account_number: str
    amount: Decimal
    tender: str
    check_number: str | None
    bank: str | None
    money_order_number: str | None
    received_on: date
    channel: str
    drawer_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    status: str
    taken_by: str
    created_at: datetime
    posted_at: datetime | None
