"""API models of the high-usage courtesy calls worklist."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, StrictInt, model_validator

from services.billing.courtesy.domain import Basis, ItemStatus

Outcome = Literal["spoke_with_customer", "left_message", "no_answer", "wrong_number",
                  "leak_check_ordered"]


class CourtesyComparison(BaseModel):
    """Use per day (meter units) of the flagged read against the three bases of validation."""

    unit: str
    per_day: Decimal | None
    prior_period_per_day: Decimal | None
    last_year_per_day: Decimal | None
    average_per_day: Decimal | None
    times_prior_period: Decimal | None
    times_last_year: Decimal | None
    times_average: Decimal | None
    flagged_against: Basis | None = Field(
        description="The first basis (in validation's order) the read exceeds by the high "
                    "factor in force")


class CourtesyCall(BaseModel):
    id: uuid.UUID
    read_id: uuid.UUID
    account_id: uuid.UUID
    outcome: Outcome
    note: str | None
    service_order_id: uuid.UUID | None
    service_order_number: int | None
    called_by: str
    called_at: datetime


class CourtesyItem(BaseModel):
    """An account whose read was flagged high, with the comparison and the calls made so far."""

    read_id: uuid.UUID
    exception_id: uuid.UUID
    exception_status: str
    exception_resolution: str | None
    detail: str
    account_id: uuid.UUID
    account_number: str
    customer_name: str
    premise_id: uuid.UUID
    address: str
    cycle: str
    route: str
    meter_id: uuid.UUID
    serial: str
    read_on: date
    value: Decimal
    usage: Decimal | None
    days: int | None
    comparison: CourtesyComparison
    open_leak_alert: bool = Field(description="An AMI continuous-flow or burst alert is open "
                                              "on this account's meter")
    status: ItemStatus
    calls: int
    last_call: CourtesyCall | None
    leak_check_reason: str = Field(description="The reason text for a leak-check service "
                                               "order placed from this item")


class CourtesyCallIn(BaseModel):
    outcome: Outcome
    note: str | None = Field(default=None, max_length=1000)
    service_order_id: uuid.UUID | None = Field(
        default=None, description="The accounts service order (kind leak_check) placed for "
                                  "this call; required with outcome leak_check_ordered")
    service_order_number: StrictInt | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _order_goes_with_outcome(self) -> CourtesyCallIn:
        if (self.outcome == "leak_check_ordered") != (self.service_order_id is not None):
            raise ValueError("service_order_id is given exactly when the outcome is "
                             "leak_check_ordered")
        return self
