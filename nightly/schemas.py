"""The run log as the staff app reads it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel


class NightStepOut(BaseModel):
    step: str
    title: str
    position: int
    #: `retrying`: failed, with a next attempt scheduled (`next_attempt_at`).
    status: Literal["pending", "running", "succeeded", "failed", "retrying", "skipped"]
    attempts: int
    started_at: datetime | None
    finished_at: datetime | None
    seconds: float | None
    next_attempt_at: datetime | None
    result: Any = None
    error: str | None
    retried_by: str | None


class NightReportOut(BaseModel):
    service: str
    name: str
    period: str
    title: str
    size: int
    path: str


class NightRunOut(BaseModel):
    id: uuid.UUID
    day: date
    status: Literal["running", "succeeded", "failed"]
    requested_by: str
    started_at: datetime
    finished_at: datetime | None
    steps: list[NightStepOut]
    reports: list[NightReportOut] = []


class NightlyHealth(BaseModel):
    service: Literal["nightly"] = "nightly"
    status: Literal["ok", "down"]
    database: Literal["ok", "down"]
    #: `leader` runs the schedule; a `standby` waits for the leader's lock.
    role: str
    schedule: str
