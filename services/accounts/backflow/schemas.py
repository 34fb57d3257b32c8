"""API models for backflow prevention devices and their tests."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from kernel.clock import Day

DeviceKind = Literal["RP", "DC", "DCDA", "RPDA", "PVB", "SVB", "AG"]


class DeviceIn(BaseModel):
    premise_id: uuid.UUID
    kind: DeviceKind
    serial: str = Field(min_length=2, max_length=40)
    size: str | None = Field(default=None, max_length=10)
    location: str | None = Field(default=None, max_length=300)
    installed_on: Day | None = None
    next_test_due: Day


class DeviceOut(BaseModel):
    id: uuid.UUID
    premise_id: uuid.UUID
    kind: DeviceKind
    serial: str
    size: str | None
    location: str | None
    installed_on: date | None
    next_test_due: date
    last_tested_on: date | None
    last_result: str | None
    status: str


class OverdueDevice(DeviceOut):
    address: str
    days_overdue: int


class TestIn(BaseModel):
    tested_on: Day
    result: Literal["pass", "fail"]
    tester: str = Field(min_length=1, max_length=120)
    certificate: str | None = Field(default=None, max_length=60)
    notes: str | None = Field(default=None, max_length=2000)


class TestOut(BaseModel):
    tested_on: date
    result: str
    tester: str
    certificate: str | None
    notes: str | None


class TestOrdersIn(BaseModel):
    """Raise a backflow-test service order for every active device due by `today` plus
    `due_within_days` (0: only overdue ones) that has no test order for that due date yet
    (a cancelled one does not count)."""

    today: Day
    due_within_days: StrictInt = Field(default=0, ge=0, le=90)
    scheduled_date: Day | None = Field(
        default=None, description="when the tests are to be done (default: `today`)")


class TestOrder(BaseModel):
    device_id: uuid.UUID
    serial: str
    next_test_due: date
    order_id: uuid.UUID
    order_number: int


class TestOrdersOut(BaseModel):
    created: list[TestOrder]
    already_ordered: int = Field(
        description="devices due that already had a test order for their due date (open, "
                    "dispatched or completed)")
