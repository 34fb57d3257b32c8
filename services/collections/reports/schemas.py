"""Collections' reports as the API shows them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class BucketRoll(BaseModel):
    bucket: str
    opening: Decimal
    closing: Decimal
    rolled_percent: Decimal | None


class RollForward(BaseModel):
    """Opening balance + the month's charges - its credits = closing balance, to the cent."""

    opening: Decimal
    charges: Decimal
    credits: Decimal
    closing: Decimal
    difference: Decimal


class AgingRoll(BaseModel):
    """The receivable by days past due at the end of the month before and at the end of the
    month, each bucket's roll into the next older one, and the balance rolled forward through
    the month's charges and credits (ties to billing's ledger as collections has heard it)."""

    month: str
    opening_as_of: date
    closing_as_of: date
    buckets: list[BucketRoll]
    unapplied_credit_opening: Decimal
    unapplied_credit_closing: Decimal
    roll_forward: RollForward
    billing_announced_total: Decimal | None


class DisconnectionMonth(BaseModel):
    month: int
    disconnections: int
    low_income: int
    residential: int
    reconnected: int
    reconnected_within_1_day: int


class Disconnections(BaseModel):
    """Disconnections of water service for non-payment completed in the year, by month (what
    SB 998, Health and Safety Code 116922, has a system report each year)."""

    year: int
    months: list[DisconnectionMonth]
    total: DisconnectionMonth
