"""Premise rules (no I/O)."""

from __future__ import annotations

import re

_APN = re.compile(r"^\d{3}-\d{3}-\d{2,3}$")


def apn_ok(apn: str) -> bool:
    """Assessor's parcel numbers look like 123-456-78 (or 123-456-789)."""
    return bool(_APN.match(apn))


def units_ok(kind: str, dwelling_units: int) -> bool:
    """Only multi-family premises have more than one dwelling unit; they have at least two."""
    if kind == "multi_family":
        return dwelling_units >= 2
    return dwelling_units == 1
