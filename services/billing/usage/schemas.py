"""API shapes of usage: series, comparison, projection, leak alerts and alert preferences."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt


class UsageMeter(BaseModel):
    """A meter an account holds (or held), and the dates it did."""

    meter_id: uuid.UUID
    serial: str
    size: str
    unit: str = Field(description="the meter's register unit (HCF, GAL …); series are in gallons")
    premise_id: uuid.UUID | None
    address: dict[str, object]
    held_from: date
    held_to: date | None = Field(description="null while the account still holds it")
    has_interval_data: bool


class DailyUse(BaseModel):
    day: date
    gallons: Decimal
    hours_measured: int = Field(description="hours of the day the AMI sent (24 = complete)")


class DailySeries(BaseModel):
    account_id: uuid.UUID
    meter_id: uuid.UUID
    start: date
    end: date
    unit: Literal["gallons"] = "gallons"
    total_gallons: Decimal
    days: list[DailyUse]


class HourlyDay(BaseModel):
    day: date
    gallons: list[Decimal | None] = Field(
        description="24 slots, the local hours 0-23 of the day; null = the AMI sent nothing")


class HourlySeries(BaseModel):
    account_id: uuid.UUID
    meter_id: uuid.UUID
    start: date
    end: date
    timezone: str
    unit: Literal["gallons"] = "gallons"
    days: list[HourlyDay]


class PeriodUse(BaseModel):
    start: date
    end: date
    gallons: Decimal
    days_measured: int
    gallons_per_day: Decimal


class ComparedDay(BaseModel):
    day: date
    gallons: Decimal | None
    last_year_day: date
    last_year_gallons: Decimal | None


class Comparison(BaseModel):
    """This period against the same days a year earlier."""

    account_id: uuid.UUID
    meter_id: uuid.UUID
    current: PeriodUse
    last_year: PeriodUse
    change_percent: Decimal | None = Field(
        description="(this - last year) / last year x 100, on gallons per measured day; null "
        "when last year measured nothing")
    days: list[ComparedDay]


class ProjectedLine(BaseModel):
    service: str
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class Projection(BaseModel):
    """What the current period's bill will come to if the rest of it is like its days so far,
    priced by the account's rate schedule exactly as a bill run prices it."""

    account_id: uuid.UUID
    period_start: date
    period_end: date = Field(description="the period's expected last day")
    as_of: date
    days_in_period: int
    days_measured: int
    use_to_date: Decimal = Field(description="in the meters' register unit (what bills price)")
    projected_use: Decimal
    projected_gallons: Decimal
    projected_total: Decimal
    lines: list[ProjectedLine]
    note: str


class LeakHour(BaseModel):
    at: datetime
    gallons: Decimal


class LeakAlert(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    meter_id: uuid.UUID
    kind: Literal["continuous", "burst"]
    status: Literal["open", "ended"]
    first_hour: datetime
    last_hour: datetime
    detected_on: date
    last_seen_on: date
    threshold_gph: Decimal
    min_hours: int
    peak_gph: Decimal
    hours: list[LeakHour] = Field(description="the hours over the threshold that triggered it")


class AlertPreferences(BaseModel):
    """How an account hears of suspected leaks (alerts are recorded whatever is chosen)."""

    email: StrictBool = True
    text: StrictBool = False
    continuous: StrictBool = Field(default=True, description="continuous-flow leaks")
    burst: StrictBool = Field(default=True, description="bursts (high flow for hours)")


class AlertPreferencesOut(AlertPreferences):
    account_id: uuid.UUID
    saved: bool = Field(description="false: nothing saved yet, these are the defaults")


class LeakRulesIO(BaseModel):
    """Thresholds of the leak detection (DOMAIN.md defaults)."""

    continuous_gph: Decimal = Field(default=Decimal(3), gt=0, max_digits=10, decimal_places=3)
    continuous_hours: StrictInt = Field(default=48, ge=2, le=72)
    burst_gph: Decimal = Field(default=Decimal(30), gt=0, max_digits=10, decimal_places=3)
    burst_hours: StrictInt = Field(default=8, ge=1, le=72)


class DetectResult(BaseModel):
    day: date
    alerts_opened: int
