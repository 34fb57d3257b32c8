"""Collections' report rules: periods, and how the aging rolls from one month end to the next."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  # 1900-2999: a real month
YEAR_PATTERN = r"^(19|2[0-9])[0-9]{2}$"  # 1900-2999
ZERO = Decimal("0.00")


def month_range(month: str) -> tuple[date, date]:
    """`2026-01` -> 2026-01-01 .. 2026-01-31, both days included."""
    y, m = int(month[:4]), int(month[5:7])
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def previous_day(d: date) -> date:
    return d - timedelta(days=1)


@dataclass(frozen=True)
class Roll:
    bucket: str
    opening: Decimal
    closing: Decimal
    #: Of what this bucket held at the opening, the share found one bucket older at the
    #: closing (None when the bucket opened empty, or is the oldest).
    rolled_percent: Decimal | None


def roll(buckets: tuple[str, ...], opening: dict[str, Decimal],
         closing: dict[str, Decimal]) -> list[Roll]:
    """Each bucket at the month's opening and closing, and its roll rate: the next older
    bucket's closing over this bucket's opening, the standard measure of how much past-due
    money went unpaid another month."""
    out = []
    for i, b in enumerate(buckets):
        rate = None
        if i + 1 < len(buckets) and opening[b]:
            rate = (closing[buckets[i + 1]] * 100 / opening[b]).quantize(
                Decimal("0.1"), ROUND_HALF_UP)
        out.append(Roll(b, opening[b], closing[b], rate))
    return out
