"""API models of the ladder."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class StepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bill_id: uuid.UUID
    step: str
    taken_on: date
    status: str
    amount_past_due: Decimal
    disconnect_on: date | None
    cured_on: date | None
    resumed_on: date | None


class HoldsOut(BaseModel):
    """What holds the ladder: an open appeal holds the shut-off notice; an arrangement being
    kept cures it; an open promise to pay holds every step until its date."""

    open_appeals: int
    arrangement: bool
    promise: bool


class AccountLadder(BaseModel):
    account_id: uuid.UUID
    as_of: date
    steps: list[StepOut]
    holds: HoldsOut
