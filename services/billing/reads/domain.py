"""Meter-read rules (pure): usage with register rollover, validation thresholds, estimates.

File formats (CSV, UTF-8, a header line is required; columns in any order, extra ignored):

* Handheld / route file: ``meter_serial,read_date,reading`` — one register read per row;
  ``read_date`` is an ISO date in the utility's zone, ``reading`` the register value in the
  meter's unit before the multiplier.
* AMI interval file: ``meter_serial,interval_start,usage[,register]`` — one row per hour;
  ``interval_start`` is an ISO local timestamp (hour 0-23), ``usage`` the consumption in that
  hour (billing units). Intervals are stored per meter per day as one 24-slot array and summed
  to daily use; when ``register`` is given, the last register of each meter in the file is
  recorded as that day's read.

Estimate method: average daily use of the meter over the 365 days before the read (valid
actual reads only) × days since the last read; without such history, the same-period-last-year
daily use; without that, zero. The estimated register = last register + use ÷ multiplier,
rounded to whole register units.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class Thresholds:
    """Configurable (`PUT /api/billing/reads/thresholds`)."""

    high_factor: Decimal = Decimal("2.5")
    low_factor: Decimal = Decimal("0.25")
    min_high_usage: Decimal = Decimal("5")


@dataclass(frozen=True)
class Context:
    prev_value: Decimal | None
    prev_on: date | None
    dials: int
    multiplier: Decimal
    sa_active: bool
    prior_per_day: Decimal | None = None
    last_year_per_day: Decimal | None = None
    avg_per_day: Decimal | None = None


@dataclass
class Evaluation:
    usage: Decimal | None
    days: int | None
    issues: list[tuple[str, str]] = field(default_factory=list)


def register_max(dials: int) -> Decimal:
    return Decimal(10) ** dials


def usage_between(prev: Decimal, value: Decimal, dials: int) -> tuple[Decimal | None, bool]:
    """Register units used from `prev` to `value`: (units, rolled_over); None if simply lower.

    A register rolls over when the last read was in the top tenth of the dial range and the new
    one in the bottom tenth (e.g. 4 dials: 9990 -> 0012 is 22 units, not -9978).
    """
    if value >= prev:
        return value - prev, False
    top = register_max(dials)
    if prev >= top * Decimal("0.9") and value < top * Decimal("0.1"):
        return value + top - prev, True
    return None, False


def evaluate(value: Decimal, read_on: date, ctx: Context, th: Thresholds) -> Evaluation:
    """Usage of a new read and every validation issue it raises (empty list = valid)."""
    if ctx.prev_value is None or ctx.prev_on is None:
        return Evaluation(None, None)  # first read of the meter: the baseline
    days = max(1, (read_on - ctx.prev_on).days)
    units, rolled = usage_between(ctx.prev_value, value, ctx.dials)
    if units is None:
        return Evaluation(None, days, [("lower_than_last",
                                        f"reading {value} is lower than last {ctx.prev_value}")])
    usage = units * ctx.multiplier
    ev = Evaluation(usage, days)
    if rolled:
        ev.issues.append(("rollover", f"register rolled over at {register_max(ctx.dials)}; "
                                      f"use {usage}"))
    if usage == 0 and ctx.sa_active:
        ev.issues.append(("zero_use", "no use on an active service agreement"))
    if usage > 0 and not ctx.sa_active:
        ev.issues.append(("use_on_inactive", f"use of {usage} with no active agreement"))
    per_day = usage / days
    for name, base in (("prior period", ctx.prior_per_day),
                       ("same period last year", ctx.last_year_per_day),
                       ("average daily use", ctx.avg_per_day)):
        if base is None or base <= 0:
            continue
        if per_day > base * th.high_factor and usage >= th.min_high_usage:
            ev.issues.append(("high", f"{per_day:.2f}/day is over {th.high_factor}x the "
                                      f"{name} ({base:.2f}/day)"))
            break
        if 0 < per_day < base * th.low_factor:
            ev.issues.append(("low", f"{per_day:.2f}/day is under {th.low_factor}x the "
                                     f"{name} ({base:.2f}/day)"))
            break
    return ev


def estimate_value(ctx: Context, read_on: date) -> tuple[Decimal, Decimal]:
    """(estimated register, estimated use) per the documented method."""
    if ctx.prev_value is None or ctx.prev_on is None:
        raise ValueError("no earlier read to estimate from")
    days = max(0, (read_on - ctx.prev_on).days)
    per_day = ctx.avg_per_day or ctx.last_year_per_day or Decimal(0)
    units = (per_day * days / ctx.multiplier).quantize(Decimal(1), ROUND_HALF_UP)
    value = ctx.prev_value + units
    top = register_max(ctx.dials)
    if value >= top:
        value -= top
    return value, units * ctx.multiplier


# ---- judging on a copy that may be behind (docs/events.md, "Decisions on a copy") ----------

#: The exception a read carries while billing's copy of accounts cannot judge it yet.
AWAITING_COPY = "awaiting_copy"
#: How billing closes an exception its copy raised and no longer raises once it caught up.
CLEARED = "cleared"


def copy_gap(meter_status: str | None) -> str | None:
    """Why billing's copy cannot judge a read of this meter yet (None: it can).

    Reads come from installed meters: a meter billing has not heard of, or one its copy still
    shows in stock, means an `accounts.MeterChanged` has not arrived yet. Judging the read
    now would take it as the meter's first read (no use) and the bill would say missing_read.
    """
    if meter_status is None:
        return "billing has not heard of this meter yet"
    if meter_status not in ("installed", "removed"):
        return "billing has not heard of this meter's installation yet"
    return None


def judge(value: Decimal, read_on: date, ctx: Context, th: Thresholds) -> Evaluation:
    """`evaluate`, plus the register check a read recorded before its meter was known skipped."""
    if value >= register_max(ctx.dials):
        return Evaluation(None, None, [("does_not_fit",
                                        f"reading {value} does not fit {ctx.dials} dials")])
    return evaluate(value, read_on, ctx, th)


@dataclass(frozen=True)
class RaisedException:
    """An exception a read already has: its code, where it stands and how it was resolved."""

    id: Any
    code: str
    status: str
    resolution: str | None


def reconcile(existing: list[RaisedException], raised: list[tuple[str, str]]
              ) -> tuple[list[Any], list[tuple[str, str]]]:
    """A read judged again: (open exceptions to clear, issues to open).

    An open exception the read no longer raises is cleared. An issue is opened unless the read
    already has it open, waiting on a re-read, or resolved by a person (a person's decision
    stands; only what the copy itself raised comes and goes with the copy).
    """
    codes = {c for c, _ in raised}
    clear = [e.id for e in existing if e.status == "open" and e.code not in codes]
    standing = {e.code for e in existing
                if e.status in ("open", "reread_ordered") or e.resolution != CLEARED}
    return clear, [(c, d) for c, d in raised if c not in standing]


MAX_INTERVAL = Decimal("1000000")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass(frozen=True)
class HandheldRow:
    line: int
    serial: str
    read_on: date
    value: Decimal


@dataclass(frozen=True)
class IntervalRow:
    line: int
    serial: str
    at: datetime
    usage: Decimal
    register: Decimal | None


class NotAReadFile(ValueError):
    """The header is unreadable or lacks required columns: the whole file is the wrong kind."""


def _rows(content: str, required: tuple[str, ...]) -> tuple[list[tuple[int, dict[str, str]]],
                                                            list[RowError]]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    try:
        fields = [f.strip() for f in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise NotAReadFile(f"unreadable header: {exc}") from exc
    missing = [c for c in required if c not in fields]
    if missing:
        raise NotAReadFile(f"line 1: the header is missing {', '.join(missing)}")
    reader.fieldnames = fields
    out: list[tuple[int, dict[str, str]]] = []
    errors: list[RowError] = []
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, f"unreadable row: {exc}"))
            continue
        line = reader.line_num
        if None in rec or any(rec.get(c) is None for c in required):
            errors.append(RowError(line, "wrong number of columns"))
            continue
        out.append((line, {k: (v or "").strip() for k, v in rec.items() if k}))
    return out, errors


def _decimal(raw: str, name: str) -> Decimal:
    try:
        d = Decimal(raw)
    except ArithmeticError as exc:
        raise ValueError(f"{name} '{raw}' is not a number") from exc
    if not d.is_finite():
        raise ValueError(f"{name} '{raw}' is not a number")
    return d


def parse_handheld(content: str, today: date) -> tuple[list[HandheldRow], list[RowError]]:
    """Good rows and bad rows (with their line numbers) of a handheld/route file."""
    recs, errors = _rows(content, ("meter_serial", "read_date", "reading"))
    good: list[HandheldRow] = []
    for line, r in recs:
        try:
            if not r["meter_serial"]:
                raise ValueError("meter_serial is empty")
            try:
                on = date.fromisoformat(r["read_date"])
            except ValueError as exc:
                raise ValueError(f"read_date '{r['read_date']}' is not an ISO date") from exc
            if on > today:
                raise ValueError(f"read_date {on} is in the future")
            value = _decimal(r["reading"], "reading")
            if value < 0:
                raise ValueError("reading is negative")
            good.append(HandheldRow(line, r["meter_serial"], on, value))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
    return good, errors


def parse_intervals(content: str) -> tuple[list[IntervalRow], list[RowError]]:
    recs, errors = _rows(content, ("meter_serial", "interval_start", "usage"))
    good: list[IntervalRow] = []
    for line, r in recs:
        try:
            if not r["meter_serial"]:
                raise ValueError("meter_serial is empty")
            try:
                at = datetime.fromisoformat(r["interval_start"])
            except ValueError as exc:
                raise ValueError(f"interval_start '{r['interval_start']}' is not ISO") from exc
            usage = _decimal(r["usage"], "usage")
            if not 0 <= usage < MAX_INTERVAL:
                raise ValueError(f"usage {usage} is out of range")
            reg = _decimal(r["register"], "register") if r.get("register") else None
            good.append(IntervalRow(line, r["meter_serial"], at, usage, reg))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
    return good, errors


def fold_days(rows: list[IntervalRow]) -> dict[tuple[str, date], list[Decimal | None]]:
    """Hourly intervals -> one 24-slot array per meter and day (hours not sent stay NULL)."""
    days: dict[tuple[str, date], list[Decimal | None]] = {}
    for r in rows:
        slots = days.setdefault((r.serial, r.at.date()), [None] * 24)
        slots[r.at.hour] = r.usage
    return days
