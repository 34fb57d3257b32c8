"""API shapes of the accounts copy."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class RebuildRequest(BaseModel):
    mode: Literal["local", "relay"] = "local"


class RebuildResult(BaseModel):
    mode: str
    events_requeued: int
    events_deleted: int


class TableFingerprint(BaseModel):
    table: str
    rows: int
    md5: str


class CheckResult(BaseModel):
    """Counts and hashes; the same SQL run on accounts' tables must give the same figures."""

    tables: list[TableFingerprint]
