"""Courtesy-call rules (pure): how a flagged read compares with the use it was judged against,
which call outcomes close the item, and the reason a leak-check order carries.

A read is flagged `high` by `reads.domain.evaluate` when its use per day is over the
configured factor times one of three bases, tried in order: the prior period, the same period
last year, the meter's average daily use over the year before. The worklist shows all three
next to the read, and names the basis that flagged it (the first one it exceeds).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

#: Outcomes a caller records; the ones in `CLOSING` take the item off the open worklist.
OUTCOMES = ("spoke_with_customer", "left_message", "no_answer", "wrong_number",
            "leak_check_ordered")
CLOSING = frozenset({"spoke_with_customer", "leak_check_ordered"})
Basis = Literal["prior_period", "last_year", "average"]
ItemStatus = Literal["open", "attempted", "done"]
Show = Literal["todo", "done", "all"]
#: Basis names in the order `reads.domain.evaluate` tries them.
BASES: tuple[Basis, ...] = ("prior_period", "last_year", "average")
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Bases:
    """Use per day of the flagged read and of the three bases it was compared with."""

    per_day: Decimal | None
    prior_period: Decimal | None
    last_year: Decimal | None
    average: Decimal | None


def quantize(v: Decimal | None) -> Decimal | None:
    return None if v is None else v.quantize(HUNDREDTH, ROUND_HALF_UP)


def per_day(usage: Decimal | None, days: int | None) -> Decimal | None:
    if usage is None or not days:
        return None
    return (usage / days).quantize(HUNDREDTH, ROUND_HALF_UP)


def times(now: Decimal | None, base: Decimal | None) -> Decimal | None:
    """How many times the base the read used per day (None when there is no base to speak of)."""
    if now is None or base is None or base <= 0:
        return None
    return (now / base).quantize(HUNDREDTH, ROUND_HALF_UP)


def flagged_against(b: Bases, high_factor: Decimal) -> Basis | None:
    """The basis the read was flagged against: the first, in `reads.domain.evaluate`'s order,
    that it exceeds by the factor (None: no basis exceeded, e.g. thresholds changed since)."""
    for name, base in zip(BASES, (b.prior_period, b.last_year, b.average), strict=True):
        if base is None or base <= 0:
            continue
        if b.per_day is not None and b.per_day > base * high_factor:
            return name
    return None


def status(outcomes: list[str]) -> ItemStatus:
    """open (never called), attempted (called, no one reached yet), done (closing outcome)."""
    if any(o in CLOSING for o in outcomes):
        return "done"
    return "attempted" if outcomes else "open"


def shown(status: ItemStatus, show: Show) -> bool:
    """`todo`: still to call (never called, or no one reached yet); `done`; `all`."""
    return show == "all" or (status == "done") == (show == "done")


def leak_check_reason(serial: str, read_on: str, b: Bases, unit: str) -> str:
    """What the field technician reads on the order: the read and how it compares."""
    parts = [f"High usage courtesy call: meter {serial} read {read_on} used "
             f"{b.per_day} {unit}/day"]
    for name, label in (("prior_period", "prior period"), ("last_year", "last year"),
                        ("average", "average")):
        base = getattr(b, name)
        if base is not None:
            parts.append(f"{label} {base}")
    return "; ".join(parts)[:500]
