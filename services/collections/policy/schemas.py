"""API shapes of the policy in force."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class FloorOut(BaseModel):
    """One SB 998 floor: the policy setting it bounds, its value and the bound."""

    rule: str
    setting: str
    value: str
    floor: str


class PolicyOut(BaseModel):
    source: str
    policy: dict[str, Any]
    floors: list[FloorOut]
