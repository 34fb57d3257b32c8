"""API models for service orders (also the payload of the service order events)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kernel.clock import Day, Instant

OrderKind = Literal[
    "turn_on", "turn_off", "re_read", "leak_check", "high_bill_investigation", "meter_exchange",
    "door_tag", "disconnect_nonpayment", "reconnect", "backflow_test",
]
OrderStatus = Literal["open", "dispatched", "completed", "cancelled"]


class Read(BaseModel):
    meter_id: uuid.UUID
    value: Decimal
    read_at: datetime


class OrderIn(BaseModel):
    kind: OrderKind
    premise_id: uuid.UUID
    account_id: uuid.UUID | None = None
    meter_id: uuid.UUID | None = None
    scheduled_date: Day
    reason: str | None = Field(default=None, max_length=500)


class OrderOut(BaseModel):
    id: uuid.UUID
    number: int
    kind: OrderKind
    status: OrderStatus
    account_id: uuid.UUID | None
    premise_id: uuid.UUID
    meter_id: uuid.UUID | None
    scheduled_date: date
    technician: str | None
    dispatched_at: datetime | None
    completed_at: datetime | None
    read: Read | None
    notes: str | None
    reason: str | None
    reference: str | None
    final_for_sa_ids: list[uuid.UUID]
    stop_date: date | None
    address: str
    cycle: str
    route: str
    meter_serial: str | None


class DispatchIn(BaseModel):
    technician: str = Field(min_length=1, max_length=64)


class CompleteIn(BaseModel):
    read: Decimal | None = Field(default=None, ge=0)
    read_at: Instant | None = None
    notes: str | None = Field(default=None, max_length=2000)


class CancelIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)
