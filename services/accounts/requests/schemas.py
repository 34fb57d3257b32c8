"""API shapes of service requests: what a customer asks for in the portal, and its status."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kernel.clock import Day
from services.accounts.common import Address

Kind = Literal["start", "stop", "transfer", "high_bill_review", "contact"]
Status = Literal["received", "in_progress", "done", "declined"]


class RequestIn(BaseModel):
    """`start` and `transfer`: the service `address` and the `preferred_date`; `stop`: the
    `preferred_date` (and a forwarding `address` for the final bill, if any);
    `high_bill_review`: the `bill_id` (the portal opens billing's appeal first and passes its
    `appeal_id`); `contact`: the `message`."""

    model_config = ConfigDict(extra="forbid")
    kind: Kind
    preferred_date: Day | None = None
    address: Address | None = None
    phone: str | None = Field(default=None, max_length=32, pattern=r"^[0-9+() .-]{7,32}$")
    message: str = Field(default="", max_length=2000)
    bill_id: uuid.UUID | None = None
    appeal_id: uuid.UUID | None = None


class RequestOut(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    kind: Kind
    status: Status
    preferred_date: date | None
    address: Address | None
    phone: str | None
    message: str
    bill_id: uuid.UUID | None
    appeal_id: uuid.UUID | None
    requested_by: str
    worked_by: str | None
    resolution: str | None
    created_at: datetime
    updated_at: datetime


class WorkIn(BaseModel):
    """Staff move a request on: `in_progress`, or `done` / `declined` with what was done."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["in_progress", "done", "declined"]
    resolution: str = Field(default="", max_length=2000)
