"""Report periods: a month (`YYYY-MM`) or a year (`YYYY`) as the utility's dates."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  # 1900-2999: a real month
YEAR_PATTERN = r"^(19|2[0-9])[0-9]{2}$"  # 1900-2999
ZERO = Decimal("0.00")
TENDERS: tuple[str, ...] = ("cash", "check", "money_order", "card", "bank")


def month_range(month: str) -> tuple[date, date]:
    """`2026-01` -> 2026-01-01 .. 2026-01-31, both days included."""
    y, m = int(month[:4]), int(month[5:7])
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def this_month(today: date) -> str:
    return f"{today.year:04d}-{today.month:02d}"
