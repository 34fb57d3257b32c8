"""Time: instants are UTC; service dates are in the utility's configured zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from kernel.settings import get_settings


def utc_now() -> datetime:
    return datetime.now(UTC)


def utility_today() -> date:
    """Today's date where the utility is; business rules take it as a parameter."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()
