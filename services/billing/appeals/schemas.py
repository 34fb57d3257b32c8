"""API shapes of high-bill appeals."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field, StrictBool


class AppealIn(BaseModel):
    bill_id: uuid.UUID
    complaint: str = Field(min_length=1, max_length=2000)


class DecideIn(BaseModel):
    repaired: StrictBool
    notes: str = Field(default="", max_length=2000)


class AppealOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    bill_id: uuid.UUID
    status: str
    complaint: str
    opened_by: str
    opened_on: date
    decision: str | None
    credit: Decimal | None
    adjustment_id: uuid.UUID | None
    letter: str | None
    decided_by: str | None
    decided_on: date | None


class PolicyIO(BaseModel):
    """The leak-credit policy under `appeals.policy` (see `appeals.domain`)."""

    share: Decimal = Field(default=Decimal("0.5"), ge=0, le=1)
    window_days: int = Field(default=365, ge=0)
    requires_repair: bool = True
