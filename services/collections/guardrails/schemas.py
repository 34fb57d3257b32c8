"""API shapes of the guardrails: an SB 998 refusal and an account's status on a day."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel


class RefusalOut(BaseModel):
    """A rule that forbids the step on the day, and the first day it would allow it (null: a
    fact must change first, such as an appeal decided)."""

    rule: str
    message: str
    next_on: date | None
    offer: str | None = None


class GuardrailStatus(BaseModel):
    account_id: uuid.UUID
    action: str
    day: date
    allowed: bool
    next_on: date | None
    refusals: list[RefusalOut]
