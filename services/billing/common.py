"""Small shared API types of the billing service."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def _in_range(d: date) -> date:
    if not EARLIEST <= d <= LATEST:
        raise ValueError(f"date must be between {EARLIEST} and {LATEST}")
    return d


#: A business date (periods, reads, effective dates): plain ISO date within 1900-2999.
BizDate = Annotated[date, AfterValidator(_in_range)]
