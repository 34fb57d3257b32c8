"""Usage rules (pure): units, comparison periods, the current period's projection, leak rules.

AMI intervals (`ami_days.hourly`, one 24-slot array per meter and local day) are in the meter's
own unit as the head-end sent them (HCF or gallons); customers see gallons. Slot `h` is the
utility's local wall-clock hour `h` of the day (as the AMI file's `interval_start` said it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from services.billing.rates import domain as rates
from services.billing.rates.schemas import RateVersionOut

#: Gallons in one unit of a meter's register (1 HCF = 100 cubic feet = 748 gallons). The leak
#: detection's SQL takes this table as a parameter, so the rule exists once.
GALLONS_PER_UNIT: dict[str, Decimal] = {
    "HCF": Decimal(748), "CCF": Decimal(748), "CF": Decimal("7.48052"), "GAL": Decimal(1),
    "GALLONS": Decimal(1), "KGAL": Decimal(1000),
}
THOUSANDTH = Decimal("0.001")
#: A date range a series may span (a year and a bit: a Green Button year, a chart of 13 months).
MAX_SPAN_DAYS = 400
#: Days a bill period lasts when the account has no bill yet to measure one by.
DEFAULT_PERIOD_DAYS = 30
RESIDENTIAL = ("single_family", "multi_family")


def gallons_per_unit(unit: str) -> Decimal:
    """Gallons per register unit; an unknown unit is taken as gallons (the AMI's own)."""
    return GALLONS_PER_UNIT.get(unit.strip().upper(), Decimal(1))


def to_gallons(value: Decimal | None, unit: str) -> Decimal | None:
    if value is None:
        return None
    return (value * gallons_per_unit(unit)).quantize(THOUSANDTH, ROUND_HALF_UP)


def span_error(start: date, end: date) -> str | None:
    """Why a requested date range cannot be served, or None."""
    if end < start:
        return "end is before start"
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        return f"a range is at most {MAX_SPAN_DAYS} days"
    return None


def clamp(start: date, end: date, held_from: date, held_to: date | None
          ) -> tuple[date, date] | None:
    """The part of [start, end] within the dates the account held the meter (None: none).
    A customer never sees a meter's use from before they moved in or after they moved out."""
    s = max(start, held_from)
    e = min(end, held_to) if held_to is not None else end
    return (s, e) if s <= e else None


def same_day_last_year(d: date) -> date:
    """The same calendar day a year earlier (29 February -> 28 February)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def change_percent(now: Decimal, before: Decimal) -> Decimal | None:
    """How much more (or less) this period used than last year's, in percent (None: last year
    used nothing, so no ratio means anything)."""
    if before <= 0:
        return None
    return ((now - before) * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP)


def per_day(total: Decimal, days: int) -> Decimal:
    return (total / days).quantize(THOUSANDTH, ROUND_HALF_UP) if days else Decimal(0)


def hour_instants(day: date, tz: str) -> list[datetime]:
    """The 24 slots of a local day as instants (the zone's offset that day)."""
    zone = ZoneInfo(tz)
    return [datetime.combine(day, time(h), zone) for h in range(24)]


# ---- the current period and its projection ---------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: date
    end: date  # expected last day

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def current_period(last_end: date | None, last_days: int | None, first_start: date,
                   today: date) -> Period:
    """The period the next bill will cover: from the day after the last final bill's period (the
    first agreement's start when none, but no more than 30 days back: an account whose bills
    are elsewhere still gets a month), as long as the last period was (30 days when none);
    a run that is late stretches it to today (a range stays within `MAX_SPAN_DAYS`)."""
    if last_end is not None:
        start = last_end + timedelta(days=1)
    else:
        start = max(first_start, today - timedelta(days=DEFAULT_PERIOD_DAYS - 1))
    start = min(max(start, today - timedelta(days=MAX_SPAN_DAYS - 1)), today)
    days = last_days if last_days and last_days > 0 else DEFAULT_PERIOD_DAYS
    end = max(start + timedelta(days=days - 1), today)
    return Period(start, end)


def projected_use(use_so_far: Decimal, days_with_data: int, period_days: int) -> Decimal:
    """Use at the end of the period if the days to come are like the days measured so far
    (average daily use of the days with AMI data x the period's days)."""
    if days_with_data <= 0:
        return Decimal(0)
    return rates.q4(use_so_far * period_days / days_with_data)


def schedule_of(v: RateVersionOut) -> rates.Schedule:
    """A rate version as `rates.domain.agreement_lines` prices with it."""
    return rates.Schedule(
        str(v.id), v.effective_date, v.drought_stage,
        fixed={(f.service, f.meter_size): f.amount for f in v.fixed},
        classes={(k.service, k.rate_class): rates.RateClass(
            k.basis, tuple(rates.Block(i, b.width, b.price)
                           for i, b in enumerate(k.blocks, start=1)),
            k.cap, k.minimum_charge, k.widths_per_unit) for k in v.classes},
        surcharges={(x.service, x.stage): x.price for x in v.surcharges},
        fees={(f.service, f.name): f.amount for f in v.fees})


# ---- leak rules -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LeakRule:
    """Flow over `gph` gallons an hour in each of `hours` consecutive hours."""

    kind: str  # continuous | burst
    gph: Decimal
    hours: int
    residential_only: bool


def window_days(rules: list[LeakRule]) -> int:
    """Days before the day examined that a run ending on it may reach back into."""
    return max((r.hours + 23) // 24 for r in rules) if rules else 0


def runs_over(gallons: list[Decimal | None], rule: LeakRule) -> list[tuple[int, int]]:
    """[first, last] slot indexes of each run of consecutive hours over the rule's rate that
    lasts at least its hours (a missing hour breaks a run). The specification of the SQL in
    `repository.DETECT`; `tests/billing/test_usage_leaks.py` holds them to each other."""
    out, start = [], None
    for i, g in enumerate([*gallons, None]):
        if g is not None and g > rule.gph:
            start = i if start is None else start
        elif start is not None:
            if i - start >= rule.hours:
                out.append((start, i - 1))
            start = None
    return out
