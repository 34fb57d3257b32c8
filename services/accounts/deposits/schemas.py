"""API models for deposits."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kernel.clock import Day


class DueDeposit(BaseModel):
    account_id: uuid.UUID
    account_number: str
    amount: Decimal
    held_since: date


class ReviewOut(BaseModel):
    """Deposits released by the review: each is credited and announced once."""

    today: date
    released: list[DueDeposit]


class ReleaseIn(BaseModel):
    method: Literal["refund", "credit"] = Field(
        description="refund: paid back to the customer; credit: applied to the account")
    on_date: Day
    reason: str | None = Field(default=None, max_length=300)


class DepositTx(BaseModel):
    kind: str
    amount: Decimal
    on_date: date
    reason: str | None
    actor: str


class DepositOut(BaseModel):
    account_id: uuid.UUID
    held: Decimal
    held_since: date | None
    transactions: list[DepositTx]
