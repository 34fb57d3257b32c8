"""API shapes of meter reads and their exceptions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from services.billing.common import BizDate


class ReadIn(BaseModel):
    meter_id: uuid.UUID
    read_on: BizDate
    value: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    source: Literal["api", "customer", "field"] = "api"


class ExceptionOut(BaseModel):
    id: uuid.UUID
    code: str
    detail: str
    status: str


class ReadOut(BaseModel):
    id: uuid.UUID
    meter_id: uuid.UUID
    read_on: date
    value: Decimal
    usage: Decimal | None
    kind: str
    status: str
    exceptions: list[ExceptionOut] = []


class RowErrorOut(BaseModel):
    line: int
    message: str


class ImportResult(BaseModel):
    import_id: uuid.UUID
    duplicate: bool
    accepted: int
    rejected: int
    exceptions: int = 0
    awaiting_copy: int = Field(default=0, description=(
        "reads for a meter serial billing's copy has not heard of yet (route-file rows, "
        "counted as accepted; an AMI file's last register per serial, its intervals refused "
        "by line): kept, and recorded when it does (GET /api/billing/reads/awaiting-meter)"))
    errors: list[RowErrorOut]


class WorklistItem(BaseModel):
    id: uuid.UUID
    read_id: uuid.UUID | None
    meter_id: uuid.UUID
    serial: str | None = Field(description="null while billing has not heard of the meter")
    cycle: str | None
    route: str | None
    code: str
    detail: str
    status: str
    resolution: str | None
    reason: str | None
    read_on: date | None
    value: Decimal | None


class Resolve(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class EstimateIn(BaseModel):
    read_on: BizDate | None = None
    reason: str = Field(default="estimated", min_length=1, max_length=500)


class CorrectIn(BaseModel):
    value: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    reason: str = Field(min_length=1, max_length=500)


class ThresholdsIO(BaseModel):
    high_factor: Decimal = Field(default=Decimal("2.5"), gt=1)
    low_factor: Decimal = Field(default=Decimal("0.25"), gt=0, lt=1)
    min_high_usage: Decimal = Field(default=Decimal("5"), ge=0)


class UnreadMeter(BaseModel):
    route: str
    meter_id: uuid.UUID
    serial: str
    premise_id: uuid.UUID
    last_read_on: date | None


class UnreadReport(BaseModel):
    cycle: str
    period_start: date
    period_end: date
    count: int
    by_route: dict[str, int]
    meters: list[UnreadMeter]
    exceptions_opened: int = 0


class AmiDay(BaseModel):
    day: date
    total: Decimal
    hourly: list[Decimal | None]


class HeldRead(BaseModel):
    """A route-file read kept until billing's copy hears of its meter."""

    serial: str
    read_on: date
    value: Decimal
    source: str
    import_id: uuid.UUID | None
    line_no: int | None
    created_by: str
    created_at: datetime
