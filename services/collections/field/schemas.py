"""API shapes of collections' field orders, the supervisor's list of tomorrow's disconnects and
the annual SB 998 report."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from kernel.clock import Day, Instant
from services.collections.guardrails.schemas import RefusalOut

Kind = Literal["door_tag", "disconnect", "reconnect"]
Status = Literal["awaiting_approval", "created", "released", "completed", "cancelled"]


class FieldOrderOut(BaseModel):
    """`reference` is what accounts' service order carries (`collections:{id}`)."""

    id: uuid.UUID
    account_id: uuid.UUID
    premise_id: uuid.UUID | None
    kind: str
    status: str
    scheduled_on: date
    disconnect_on: date | None
    reconnects: uuid.UUID | None
    created_on: date
    requested_by: str
    approved_by: str | None
    released_on: date | None
    accounts_order_id: uuid.UUID | None
    completed_at: datetime | None
    completed_on: date | None
    completed_by: str | None
    cancelled_on: date | None
    cancel_reason: str | None
    after_hours: bool
    low_income: bool | None
    fee: Decimal | None
    notes: str | None
    reference: str


class TodayIn(BaseModel):
    today: Day | None = None


class ApproveIn(BaseModel):
    order_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    today: Day | None = None


class DisconnectIn(BaseModel):
    account_id: uuid.UUID
    today: Day | None = None


class CompleteIn(BaseModel):
    today: Day | None = None
    completed_at: Instant | None = None
    notes: str | None = Field(default=None, max_length=2000)


class ReconnectIn(BaseModel):
    account_id: uuid.UUID
    #: The customer asked to be reconnected outside office hours (the after-hours fee).
    after_hours: StrictBool = False
    today: Day | None = None


class DailyOut(BaseModel):
    door_tags: int
    disconnects: int
    disconnects_refused: int
    disconnects_cancelled: int


class TomorrowRow(BaseModel):
    account_id: uuid.UUID
    number: str | None
    name: str | None
    disconnect_on: date | None
    order_id: uuid.UUID | None
    order_status: str | None
    past_due: Decimal
    allowed: bool
    next_on: date | None
    refusals: list[RefusalOut]


class Tomorrow(BaseModel):
    day: date
    rows: list[TomorrowRow]


class MonthOut(BaseModel):
    month: int
    disconnections: int
    restorations: int


class AnnualReport(BaseModel):
    """SB 998: the number of disconnections for non-payment, reported annually (with the
    restorations of service after them), month by month."""

    year: int
    months: list[MonthOut]
    disconnections: int
    restorations: int
