"""API models of the daily job."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class DailyOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    run_on: date
    #: False when the day had already run: the first run's result is repeated, nothing is done.
    ran: bool
    #: What the ladder did: accounts cured and resumed, steps taken by kind, late charges.
    ladder: dict[str, int]
    cured_accounts: int
    #: Arrangements' daily step: completed, broken (with final notices), promises kept/broken.
    arrangements: dict[str, int] = {}
    #: The field's daily step: door tags and disconnect orders due, disconnects cancelled.
    field: dict[str, int] = {}
    #: How long each feature's step took in the run (seconds).
    seconds: dict[str, float] = {}


class DailyProgress(BaseModel):
    """The latest run in this process (the staff app's progress bar); not the record."""

    #: Every step of a run, in order.
    steps: list[str]
    running: bool
    run_on: date | None
    #: The step running now (null when none is).
    step: str | None
    #: Seconds each finished step took.
    done: dict[str, float]
    started_at: datetime | None
    finished_at: datetime | None
    failed: bool
