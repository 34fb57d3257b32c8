"""The district's business days (pure): weekdays that are neither a California holiday (the
`holidays` package's list for US-CA, the same package payments uses for the Federal Reserve's
days) nor a day the policy closes the office.

SB 998 counts its written notice in business days, forbids disconnection on a weekend, a
holiday or a day the office is closed, and counts a broken arrangement's final notice in
business days; every such count goes through this calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _california(year: int) -> dict[date, str]:
    """The year's holidays with their names, built once: the package builds a year's list
    in about a millisecond, which the daily job would otherwise pay for every account it
    checks on a holiday (15,000 accounts: 12 s)."""
    return {d: str(name) for d, name in
            holidays.country_holidays("US", subdiv="CA", years=year).items()}


@lru_cache(maxsize=64)
def california_holidays(year: int) -> frozenset[date]:
    return frozenset(_california(year))


class BusinessCalendar:
    def __init__(self, closures: Iterable[date] = ()) -> None:
        self.closures = frozenset(closures)

    def holiday_name(self, d: date) -> str | None:
        """Why the office is closed on a weekday (None when it is open)."""
        if d in self.closures:
            return "office closed"
        if d in california_holidays(d.year):
            return _california(d.year).get(d) or "holiday"
        return None

    def is_business_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.closures and d not in california_holidays(
            d.year)

    def add_business_days(self, d: date, n: int) -> date:
        """The `n`th business day after `d` (before it for a negative `n`); 0 gives `d`."""
        step = 1 if n >= 0 else -1
        left = abs(n)
        while left:
            d += timedelta(days=step)
            if self.is_business_day(d):
                left -= 1
        return d

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after `start` up to and including `end` (0 when `end` <= `start`):
        a notice given on `start` has given this many business days' notice on `end`."""
        n, d = 0, start
        while d < end:
            d += timedelta(days=1)
            if self.is_business_day(d):
                n += 1
        return n

    def next_business_day(self, d: date) -> date:
        """`d` itself when it is a business day, else the next one."""
        while not self.is_business_day(d):
            d += timedelta(days=1)
        return d
