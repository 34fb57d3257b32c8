"""API shapes of scheduled and recurring payments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from kernel.clock import Day


class ScheduleIn(BaseModel):
    """`once`: the saved method is charged on `start_on`. `monthly`: on `day_of_month` (the
    last day of a shorter month) from `start_on` until `end_on` (or until cancelled).
    `amount_rule` `fixed` takes `amount`; `balance` takes the balance due on the day (nothing
    when it is zero or a credit)."""

    model_config = ConfigDict(extra="forbid")
    method_id: uuid.UUID
    kind: Literal["once", "monthly"]
    start_on: Day
    day_of_month: StrictInt | None = Field(default=None, ge=1, le=31)
    end_on: Day | None = None
    amount_rule: Literal["fixed", "balance"]
    amount: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)


class ChargeOut(BaseModel):
    """What the run did on `charge_on`: `succeeded` / `processing` (posts with the
    processor's webhook), `declined`, or `skipped` with the `reason` (`nothing_due`,
    `method_gone`)."""

    charge_on: date
    outcome: str
    reason: str | None
    amount: Decimal | None


class ScheduleOut(BaseModel):
    """`status`: `active`, `completed` (a one-time payment made), `ended` (past `end_on`),
    `cancelled` (by the customer) or `stopped` (`stop_reason`, e.g. `method_removed`)."""

    id: uuid.UUID
    method_id: uuid.UUID
    method_display: str
    kind: str
    day_of_month: int | None
    amount_rule: str
    amount: Decimal | None
    start_on: date
    end_on: date | None
    status: str
    stop_reason: str | None
    created_at: datetime
    charges: list[ChargeOut]


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    today: Day


class RunItem(BaseModel):
    schedule_id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    charge_on: date
    outcome: str
    reason: str | None = None
    amount: Decimal | None = None


class RunOut(BaseModel):
    """This run's work: occurrences charged, declined, skipped (with reasons) or left for the
    next run (`retry`: the processor did not answer). An occurrence charged by an earlier or a
    concurrent run is not listed again."""

    today: date
    items: list[RunItem]
    ended: list[uuid.UUID]
