"""API models of late charges and their reversals."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from kernel.clock import Day

Money = Decimal


class ChargeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    notice_id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    step: str
    amount: Money
    assessed_on: date
    reversal_id: uuid.UUID | None
    reversal_status: str | None
    reversed_amount: Money | None


class ReversalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=500)
    #: Less than the whole charge (default: all of it).
    amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    #: The day the reversal is made (default: today).
    on: Day | None = None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=500)
    on: Day | None = None


class ReversalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    notice_id: uuid.UUID
    account_id: uuid.UUID
    amount: Money
    reason: str
    status: str
    requested_by: str
    requested_role: str
    requested_on: date
    decided_by: str | None
    decided_on: date | None
    decision_note: str | None
