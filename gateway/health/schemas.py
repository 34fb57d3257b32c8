"""The health answer the gateway gives at `/api/health`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ComponentHealth(BaseModel):
    name: str
    status: str
    detail: dict[str, Any] | None = None


class SystemHealth(BaseModel):
    status: str
    database: str
    relay_lag_events: int | None = None
    relay_lag_seconds: float | None = None
    relay_lag_alarm: bool | None = None
    #: Why the status is not "ok", one sentence per cause (a lag alarm names the transaction).
    reasons: list[str] = []
    components: list[ComponentHealth]
