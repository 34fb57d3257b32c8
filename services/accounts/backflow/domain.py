"""Backflow rules (no I/O): when the next annual test is due after a result."""

from __future__ import annotations

from datetime import date, timedelta

RETEST_DAYS_AFTER_FAIL = 30


def add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_due(tested_on: date, result: str) -> date:
    """A pass is good for a year; a failed device is retested within 30 days after repair."""
    if result == "pass":
        return add_year(tested_on)
    return tested_on + timedelta(days=RETEST_DAYS_AFTER_FAIL)


def is_overdue(next_test_due: date, today: date) -> bool:
    return next_test_due < today
