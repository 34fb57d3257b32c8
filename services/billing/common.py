"""Small shared types and helpers of the billing service."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from kernel.clock import Day
from kernel.settings import get_settings

#: A business date (periods, reads, effective dates): plain ISO date within 1900-2999.
BizDate = Day


def local_date(instant: str) -> date:
    """An ISO instant (or a plain date) from an event, as a date in the utility's zone."""
    if len(instant) <= 10:
        return date.fromisoformat(instant)
    at = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    if at.tzinfo is None:
        return at.date()
    return at.astimezone(ZoneInfo(get_settings().timezone)).date()
