"""What a statement says, decided once (pure: no I/O) and drawn twice (PDF and HTML).

`compose` turns the bill's rows (statement_repository.py) and the district's configuration into
a `Statement` whose every string is already in the customer's language: the renderers only
place text, so the PDF and the HTML cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services.billing.bills.statement_words import day, money, price, qty, service_name, w

GALLONS = {"HCF": Decimal(748), "CCF": Decimal(748), "KGAL": Decimal(1000),
           "GAL": Decimal(1), "GALLONS": Decimal(1)}


@dataclass(frozen=True, slots=True)
class Row:
    """A label, an optional detail (tier range, quantity) and an amount."""

    label: str
    amount: Decimal | None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Segment:
    """The lines of one rate version's days; `heading` says so when the bill has several or
    the service ran part of the period."""

    heading: str
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class ServiceBlock:
    title: str
    facts: list[Fact]
    segments: list[Segment]
    total: Row


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    qty: Decimal
    current: bool


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    facts: list[Fact]


@dataclass(frozen=True, slots=True)
class Stub:
    heading: str
    account_label: str
    account: str
    due_label: str
    due: str
    amount_label: str
    amount: str
    after_label: str
    after: str
    enclosed_label: str
    remit_label: str
    remit_to: list[str]
    scanline: str
    autopay: str = ""


@dataclass(slots=True)
class Statement:
    lang: str
    title: str
    preview: str
    district_name: str
    district_lines: list[str]
    logo: bytes | None
    mailing: list[str]
    return_address: list[str]
    header: list[Fact]
    summary_title: str
    summary: list[Row]
    total_due: Row
    late_words: str
    services_title: str
    services: list[ServiceBlock]
    charges_title: str
    budget: list[Row] = field(default_factory=list)
    budget_title: str = ""
    chart: Chart | None = None
    messages_title: str = ""
    messages: list[str] = field(default_factory=list)
    #: About this account and this bill (autopay, past due): on the front, under the summary.
    alerts: list[str] = field(default_factory=list)
    translation: str = ""
    stub: Stub | None = None
    postal_code: str = ""
    account_number: str = ""
    bill_id: str = ""
    bill_date: date | None = None
    due_date: date | None = None
    amount_due: Decimal = Decimal(0)
    #: line1, line2, city, state of the mailing address (the print index's columns)
    mailing_parts: tuple[str, str, str, str] = ("", "", "", "")


def gallons_per_unit(unit: str) -> Decimal:
    return GALLONS.get(unit.upper(), Decimal(748))


def tier_range(tier: int, lower: Decimal, upper: Decimal | None, scale: Decimal,
               unit_price: Decimal, unit: str, lang: str) -> str:
    """'Tier 2: 7-20 HCF at $4.05' with the block bounds scaled as the run scaled them
    (dwelling units of a multi-family premise, days of a partial segment)."""
    lo = (lower * scale).quantize(Decimal("0.01"))
    hi = None if upper is None else (upper * scale).quantize(Decimal("0.01"))
    p = price(unit_price)
    if hi is None and lo == 0:
        return w("tier_all", lang, price=p, unit=unit)
    if hi is None:
        return w("tier_over", lang, tier=tier, lower=qty(lo), unit=unit, price=p)
    if lo == 0:
        return w("tier_first", lang, tier=tier, upper=qty(hi), unit=unit, price=p)
    whole = lo == lo.to_integral()
    start = qty(lo + 1) if whole and unit.upper() in ("HCF", "CCF", "KGAL") else qty(lo)
    return w("tier_range", lang, tier=tier, lower=start, upper=qty(hi), unit=unit, price=p)


def late_words(due: date | None, percent: Decimal, minimum: Decimal, lang: str) -> str:
    if percent <= 0 or due is None:
        return w("late_none", lang)
    pct = qty(percent)
    mn = w("late_min", lang, amount=money(minimum)) if minimum > 0 else ""
    return w("late", lang, on=day(due, lang), pct=pct, minimum=mn)


def read_facts(lang: str, meter: str, size: str, unit: str, prev: tuple[Decimal, date, str]
               | None, cur: tuple[Decimal, date, str] | None, used: Decimal,
               days: int) -> list[Fact]:
    """Meter, reads with dates and kind, units used with gallons, days, gallons per day."""
    gal = gallons_per_unit(unit)
    out = [Fact(w("meter", lang), f"{meter}, {w('meter_size', lang, size=size)}")]
    for key, r in (("previous_read", prev), ("current_read", cur)):
        if r is not None:
            out.append(Fact(w(key, lang), f"{qty(r[0])} {day(r[1], lang)} ({w(r[2], lang)})"))
    gallons = (used * gal).quantize(Decimal(1))
    out.append(Fact(w("used", lang), f"{qty(used)} {unit} = {gallons:,f} {w('gallons', lang)}"
                                     f" ({w('unit_gallons', lang, unit=unit, gallons=gal)})"))
    out.append(Fact(w("days", lang), str(days)))
    gpd = (used * gal / days).quantize(Decimal(1)) if days > 0 else Decimal(0)
    out.append(Fact(w("gpd", lang), f"{gpd:,f}"))
    return out


def service_title(service: str, lang: str) -> str:
    return w("charges_for", lang, service=service_name(service, lang))
