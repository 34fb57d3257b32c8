"""API shapes of the accounts copy."""

from __future__ import annotations

from pydantic import BaseModel

from kernel.copy import RebuildRequest, RebuildResult

__all__ = ["CheckResult", "RebuildRequest", "RebuildResult", "TableFingerprint"]


class TableFingerprint(BaseModel):
    table: str
    rows: int
    md5: str


class CheckResult(BaseModel):
    """Counts and hashes; the same SQL run on accounts' tables must give the same figures."""

    tables: list[TableFingerprint]
