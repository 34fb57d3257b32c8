"""API shapes of bank deposits."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt

from kernel.clock import Day


class DepositIn(BaseModel):
    """The closed drawers and posted mail batches whose money goes to the bank in one bag.
    `kept` (optional, per drawer id): the pieces that stay in the drawer, when not its float
    left in the smallest pieces (a count that cannot leave the float exactly)."""

    drawer_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    batch_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    kept: dict[uuid.UUID, dict[str, Annotated[StrictInt, Field(ge=0, le=1_000_000)]]] = Field(
        default_factory=dict, max_length=200)
    note: str | None = Field(default=None, max_length=500)


class SignOffIn(BaseModel):
    note: str | None = Field(default=None, max_length=500)


class ConfirmIn(BaseModel):
    """What the bank gave back: its deposit reference (receipt or confirmation number) and the
    date it credited the deposit."""

    bank_reference: str = Field(min_length=1, max_length=100)
    deposited_on: Day


class CashLineOut(BaseModel):
    denomination: str
    pieces: int
    amount: Decimal


class ItemOut(BaseModel):
    line: int
    tender: str
    number: str
    bank: str | None
    amount: Decimal
    account_number: str
    receipt_number: int
    payment_id: uuid.UUID
    source: str
    source_id: uuid.UUID


class SourceOut(BaseModel):
    """A drawer (`cash` = counted less the float kept, by denomination) or a batch."""

    source: str
    id: uuid.UUID
    worked_by: str
    taken_on: date
    cash: Decimal
    cash_counts: dict[str, int]
    float_kept: Decimal
    kept_counts: dict[str, int]
    checks_count: int
    checks_total: Decimal


class DepositOut(BaseModel):
    id: uuid.UUID
    number: int
    status: str
    prepared_on: date
    prepared_by: str
    prepared_at: datetime
    cash: list[CashLineOut]
    cash_total: Decimal
    checks: list[ItemOut]
    checks_count: int
    checks_total: Decimal
    total: Decimal
    drawers: list[SourceOut]
    batches: list[SourceOut]
    note: str | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    sign_off_note: str | None
    bank_reference: str | None
    deposited_on: date | None
    confirmed_by: str | None
    confirmed_at: datetime | None


class ReadyOut(BaseModel):
    """A drawer or batch waiting for a deposit; `amount` is what it puts in the bag (a
    drawer's counted cash above its float, and its checks and money orders)."""

    source: str
    id: uuid.UUID
    status: str
    worked_by: str
    taken_on: date
    amount: Decimal
