"""API shapes of rate schedules (a whole schedule version is entered at once)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from services.billing.common import BizDate

Service = Literal["water", "wastewater", "irrigation", "fire_line", "recycled"]
Money6 = Decimal


class FixedCharge(BaseModel):
    service: Service
    meter_size: str = Field(min_length=1, max_length=20)
    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=6)


class BlockIn(BaseModel):
    width: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=6)


class RateClassIn(BaseModel):
    service: Service
    rate_class: str = Field(min_length=1, max_length=40)
    basis: Literal["metered", "winter_average", "fixed_only"] = "metered"
    cap: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    minimum_charge: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    widths_per_unit: StrictBool = False
    blocks: list[BlockIn] = []


class SurchargeIn(BaseModel):
    service: Service
    stage: StrictInt = Field(ge=1, le=9)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=6)


class FeeIn(BaseModel):
    service: Service
    name: str = Field(min_length=1, max_length=80)
    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=6)


class RateVersionIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    effective_date: BizDate
    drought_stage: StrictInt = Field(default=0, ge=0, le=9)
    fixed: list[FixedCharge] = []
    classes: list[RateClassIn] = Field(min_length=1)
    surcharges: list[SurchargeIn] = []
    fees: list[FeeIn] = []


class RateVersionOut(RateVersionIn):
    id: uuid.UUID


class WinterAverageIn(BaseModel):
    winter_start: BizDate
    winter_end: BizDate


class WinterAverageResult(BaseModel):
    premises: int
