"""Rate rules (pure): tier math with unit-scaled, day-prorated block widths; proration; rounding.

The bill run does the same arithmetic in SQL (`runs.repository`); these functions are its
specification, unit-tested to the cent, and are what `explain` re-states in words.

* A period's tier widths and fixed charges are for a full bill period; a segment of `d` days out
  of a `D`-day period uses `d / D` of them. Widths of a class with `widths_per_unit` are also
  multiplied by the premise's dwelling units (e.g. multi-family tier 1 = units x 6 HCF).
* A period that spans a rate change is split at the effective date: use is split in proportion
  to days (cumulative rounding to 0.0001 so the parts add up to the whole), and each part is
  priced with its own version.
* Every line's amount is rounded half-up to the cent; the bill is the sum of its lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
Q4 = Decimal("0.0001")


def money(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


def q4(x: Decimal) -> Decimal:
    return x.quantize(Q4, ROUND_HALF_UP)


@dataclass(frozen=True)
class Block:
    tier: int
    width: Decimal | None  # None: the open-ended last tier
    price: Decimal


@dataclass(frozen=True)
class TierLine:
    tier: int
    quantity: Decimal
    price: Decimal
    amount: Decimal


def lowers(blocks: list[Block]) -> list[Decimal]:
    out, acc = [], Decimal(0)
    for b in blocks:
        out.append(acc)
        acc += b.width or Decimal(0)
    return out


def validate_blocks(blocks: list[Block]) -> str | None:
    """Why this block list is unusable, or None."""
    if not blocks:
        return "at least one block is needed"
    for i, b in enumerate(blocks):
        if b.width is None and i != len(blocks) - 1:
            return "only the last block may be open-ended"
        if b.width is not None and b.width <= 0:
            return "block widths must be positive"
        if b.price < 0:
            return "prices cannot be negative"
    if blocks[-1].width is not None:
        return "the last block must be open-ended (width null)"
    return None


def tier_lines(quantity: Decimal, blocks: list[Block], scale: Decimal = Decimal(1)
               ) -> list[TierLine]:
    """Split `quantity` across the blocks whose widths are multiplied by `scale`."""
    out = []
    for b, low in zip(blocks, lowers(blocks), strict=True):
        lo = q4(low * scale)
        hi = None if b.width is None else q4((low + b.width) * scale)
        take = max(Decimal(0), (quantity if hi is None else min(quantity, hi)) - lo)
        if take > 0:
            out.append(TierLine(b.tier, take, b.price, money(take * b.price)))
    return out


def scale_for(days: int, period_days: int, units: int, per_unit: bool) -> Decimal:
    return Decimal(units if per_unit else 1) * Decimal(days) / Decimal(period_days)


def prorate(amount: Decimal, days: int, period_days: int) -> Decimal:
    return money(amount * days / period_days)


@dataclass(frozen=True)
class Segment:
    start: date
    end: date
    version: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def segments(start: date, end: date, versions: list[tuple[date, str]]) -> list[Segment]:
    """Split [start, end] at each rate version's effective date (versions sorted by date)."""
    out = []
    for i, (eff, vid) in enumerate(versions):
        v_end = versions[i + 1][0] - timedelta(days=1) if i + 1 < len(versions) else date.max
        s, e = max(start, eff), min(end, v_end)
        if s <= e:
            out.append(Segment(s, e, vid))
    return out


def split_use(quantity: Decimal, seg_days: list[int]) -> list[Decimal]:
    """Use split by days with cumulative rounding: the parts always add up to `quantity`."""
    total = sum(seg_days)
    out, cum = [], 0
    for d in seg_days:
        lo = q4(quantity * cum / total)
        cum += d
        out.append(q4(quantity * cum / total) - lo)
    return out


def winter_quantity(per_day: Decimal | None, metered: Decimal, days: int,
                    cap: Decimal | None, period_days: int) -> Decimal:
    """Wastewater billed volume: winter-average daily water use x days (the metered use when
    there is no winter average yet), never above the cap prorated to the days."""
    q = q4(per_day * days) if per_day is not None else metered
    if cap is not None:
        q = min(q, q4(cap * days / period_days))
    return q
