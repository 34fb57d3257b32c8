"""API shapes of adjustments."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

ReasonCode = Literal["billing_error", "meter_error", "leak", "courtesy", "late_charge_waiver",
                     "deposit", "refund", "late_charge", "other"]


class AdjustmentIn(BaseModel):
    account_id: uuid.UUID
    amount: Decimal = Field(max_digits=14, decimal_places=2,
                            description="negative credits the account, positive charges it")
    reason_code: ReasonCode
    reason: str = Field(min_length=1, max_length=500)


class Decision(BaseModel):
    reason: str = Field(default="", max_length=500)


class AdjustmentOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason_code: str
    reason: str
    status: str
    requested_by: str
    requested_role: str
    approved_by: str | None
    entry_id: uuid.UUID | None
    source: str
    created_at: datetime
    decided_at: datetime | None
