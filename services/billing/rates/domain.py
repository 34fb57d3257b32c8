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

from dataclasses import dataclass, field
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


def tier_lines(quantity: Decimal, blocks: list[Block], units: int = 1, days: int = 1,
               period_days: int = 1) -> list[TierLine]:
    """Split `quantity` across the blocks, each width times `units` x `days / period_days`
    (bounds rounded to 0.0001; multiplied before dividing, so a bound that is exactly half a
    step rounds up whatever the period's length)."""
    out = []
    for b, low in zip(blocks, lowers(blocks), strict=True):
        lo = q4(low * units * days / period_days)
        hi = None if b.width is None else q4((low + b.width) * units * days / period_days)
        take = max(Decimal(0), (quantity if hi is None else min(quantity, hi)) - lo)
        if take > 0:
            out.append(TierLine(b.tier, take, b.price, money(take * b.price)))
    return out


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


# ---- a whole agreement's lines for a period: the rule the bill run's SQL repeats -------------

@dataclass(frozen=True)
class RateClass:
    basis: str  # metered | winter_average | fixed_only
    blocks: tuple[Block, ...] = ()
    cap: Decimal | None = None
    minimum_charge: Decimal | None = None
    widths_per_unit: bool = False


@dataclass(frozen=True)
class Schedule:
    """One rate version: what it charges, by service (and meter size, rate class, stage)."""

    version: str
    effective: date
    drought_stage: int = 0
    fixed: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (service, size)
    classes: dict[tuple[str, str], RateClass] = field(default_factory=dict)  # (service, class)
    surcharges: dict[tuple[str, int], Decimal] = field(default_factory=dict)  # (service, stage)
    fees: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (service, name)


@dataclass(frozen=True)
class Agreement:
    """A service agreement as billed: its dates, meter size and premise units, the metered use
    of its meter in the period and the premise's winter average (None: none computed)."""

    service: str
    rate_class: str
    start: date
    stop: date | None
    meter_size: str | None
    dwelling_units: int
    use: Decimal
    winter_per_day: Decimal | None = None


@dataclass(frozen=True)
class BillLine:
    kind: str  # fixed | volume | surcharge | fee | minimum
    description: str
    start: date
    end: date
    quantity: Decimal
    unit_price: Decimal
    tier: int | None
    version: str
    amount: Decimal


def _title(service: str) -> str:
    return service.replace("_", " ").title()


def agreement_lines(sa: Agreement, period_start: date, period_end: date,
                    schedules: list[Schedule]) -> list[BillLine]:
    """Every line of one agreement for [period_start, period_end]: the period is split at each
    version's effective date; each part is charged by its version (fixed charges and fees
    prorated by days of the period; use split by days; tier widths scaled by days and, for
    `widths_per_unit`, dwelling units; the drought surcharge on the billed use; a minimum-
    charge top-up). Each line is rounded half-up to the cent."""
    a_start = max(sa.start, period_start)
    a_end = min(sa.stop or period_end, period_end)
    if a_end < a_start:
        return []
    period_days = (period_end - period_start).days + 1
    by_version = {s.version: s for s in schedules}
    segs = segments(a_start, a_end, sorted((s.effective, s.version) for s in schedules))
    uses = split_use(sa.use, [seg.days for seg in segs] + [(a_end - a_start).days + 1
                                                            - sum(s.days for s in segs)])
    out: list[BillLine] = []
    for seg, metered in zip(segs, uses, strict=False):
        out.extend(_segment_lines(sa, seg, by_version[seg.version], metered, period_days))
    return out


def _segment_lines(sa: Agreement, seg: Segment, v: Schedule, metered: Decimal,
                   period_days: int) -> list[BillLine]:
    d = seg.days
    rc = v.classes.get((sa.service, sa.rate_class))
    winter = rc is not None and rc.basis == "winter_average" and sa.winter_per_day is not None
    q = winter_quantity(sa.winter_per_day if winter else None, metered, d,
                        rc.cap if rc is not None else None, period_days)
    share = q4(Decimal(d) / period_days)
    lines: list[BillLine] = []

    def line(kind: str, text: str, qty: Decimal, price: Decimal, amount: Decimal,
             tier: int | None = None) -> None:
        lines.append(BillLine(kind, text, seg.start, seg.end, qty, price, tier, v.version,
                              amount))

    fixed = v.fixed.get((sa.service, sa.meter_size or ""))
    if fixed is not None and sa.meter_size is not None:
        line("fixed", f"{_title(sa.service)} service charge, {sa.meter_size} meter",
             share, fixed, prorate(fixed, d, period_days))
    if rc is not None and rc.basis in ("metered", "winter_average"):
        units = sa.dwelling_units if rc.widths_per_unit else 1
        use_text = f"{_title(sa.service)} use" + (" (winter average)" if winter else "")
        tiers = tier_lines(q, list(rc.blocks), units, d, period_days)
        if rc.blocks and (not tiers or tiers[0].tier != rc.blocks[0].tier):
            # the first tier is always printed, at 0 when nothing was used
            tiers.insert(0, TierLine(rc.blocks[0].tier, Decimal(0), rc.blocks[0].price,
                                     Decimal("0.00")))
        for tl in tiers:
            line("volume", f"{use_text}, tier {tl.tier}", tl.quantity, tl.price, tl.amount,
                 tl.tier)
        price = v.surcharges.get((sa.service, v.drought_stage))
        if price is not None:
            line("surcharge", f"Drought surcharge, stage {v.drought_stage}", q, price,
                 money(q * price))
    for (service, name), amount in sorted(v.fees.items()):
        if service == sa.service:
            line("fee", name, share, amount, prorate(amount, d, period_days))
    if rc is not None and rc.minimum_charge is not None:
        floor = prorate(rc.minimum_charge, d, period_days)
        charged = sum((ln.amount for ln in lines), Decimal(0))
        if floor > charged:
            line("minimum", "Minimum charge top-up", Decimal(1), floor - charged,
                 floor - charged)
    return lines
