"""API models for meters (also the payload of `accounts.MeterChanged`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from kernel.clock import Day

MeterStatus = Literal["in_stock", "installed", "removed", "retired"]


class MeterIn(BaseModel):
    serial: str = Field(min_length=3, max_length=40)
    size: str = Field(description='5/8, 3/4, 1, 1-1/2, 2, 3, 4, 6, 8 or 10 (inches)')
    kind: str = Field(default="positive_displacement", max_length=40)
    dials: StrictInt = Field(default=6, ge=3, le=10)
    multiplier: Decimal = Field(default=Decimal(1), gt=0)
    unit: Literal["HCF", "GAL"] = "HCF"
    endpoint_id: str | None = Field(default=None, max_length=40)


class MeterOut(BaseModel):
    id: uuid.UUID
    serial: str
    size: str
    kind: str
    dials: int
    multiplier: Decimal
    unit: Literal["HCF", "GAL"]
    endpoint_id: str | None
    status: MeterStatus
    premise_id: uuid.UUID | None
    installed_at: date | None
    install_read: Decimal | None
    removed_at: date | None
    removal_read: Decimal | None


class InstallIn(BaseModel):
    premise_id: uuid.UUID
    on_date: Day
    read: Decimal = Field(ge=0)


class RemoveIn(BaseModel):
    on_date: Day
    read: Decimal = Field(ge=0)
    note: str | None = Field(default=None, max_length=500)


class ExchangeIn(BaseModel):
    """Take this meter out with its removal read and put `new_meter_id` in with its own read."""

    on_date: Day
    removal_read: Decimal = Field(ge=0)
    new_meter_id: uuid.UUID
    install_read: Decimal = Field(ge=0)
    note: str | None = Field(default=None, max_length=500)


class ExchangeOut(BaseModel):
    removed: MeterOut
    installed: MeterOut


class HistoryEntry(BaseModel):
    action: str
    premise_id: uuid.UUID | None
    on_date: date
    read_value: Decimal | None
    note: str | None
    actor: str
    at: datetime
