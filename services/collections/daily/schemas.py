"""API models of the daily job."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict


class DailyOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    run_on: date
    #: False when the day had already run: the first run's result is repeated, nothing is done.
    ran: bool
    #: What the ladder did: accounts cured and resumed, steps taken by kind, late charges.
    ladder: dict[str, int]
    cured_accounts: int
    #: Other features' daily steps, when wired (arrangements, field).
    extra: dict[str, Any] = {}
