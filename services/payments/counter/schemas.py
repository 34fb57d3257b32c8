"""API shapes of cash drawers."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt


class DrawerOpen(BaseModel):
    float_amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2,
                                  description="The cash the drawer starts with")


class DrawerCount(BaseModel):
    """Pieces per denomination ("20": 3 twenties, "0.25": 4 quarters); cash only (checks and
    money orders are listed from what was taken)."""

    counts: dict[str, Annotated[StrictInt, Field(ge=0, le=1_000_000)]]


class SignOff(BaseModel):
    note: str | None = Field(default=None, max_length=500)


class TenderTotalOut(BaseModel):
    tender: str
    count: int
    total: Decimal


class DrawerOut(BaseModel):
    id: uuid.UUID
    cashier: str
    status: str
    opened_at: datetime
    opened_on: date
    float_amount: Decimal
    closed_at: datetime | None
    closed_by: str | None
    counted: dict[str, int] | None
    counted_cash: Decimal | None
    expected_cash: Decimal | None
    over_short: Decimal | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    sign_off_note: str | None
    taken: list[TenderTotalOut]
