"""Small shared types and helpers of the billing service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator

from kernel.settings import get_settings

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def _in_range(d: date) -> date:
    if not EARLIEST <= d <= LATEST:
        raise ValueError(f"date must be between {EARLIEST} and {LATEST}")
    return d


#: A business date (periods, reads, effective dates): plain ISO date within 1900-2999.
BizDate = Annotated[date, AfterValidator(_in_range)]


def local_date(instant: str) -> date:
    """An ISO instant (or a plain date) from an event, as a date in the utility's zone."""
    if len(instant) <= 10:
        return date.fromisoformat(instant)
    at = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    if at.tzinfo is None:
        return at.date()
    return at.astimezone(ZoneInfo(get_settings().timezone)).date()
