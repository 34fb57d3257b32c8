"""Billing's report rules, without I/O: report periods, the State Water Board's customer
classes, and residential gallons per capita per day.

A month's billing is what the ledger posted in it: a bill counts in the month its `bill` entry
was posted (its bill date) and counts against the month its `bill_cancel` was posted, so the
money in every billing report equals the ledger's entries for the same days. Consumption
follows its bill (the volume lines' quantity, in the meter's unit, HCF in the demo district).
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"  # 1900-2999: a real month
YEAR_PATTERN = r"^(19|2[0-9])[0-9]{2}$"  # 1900-2999
ZERO = Decimal("0.00")
GALLONS_PER_HCF = Decimal("748.052")  # one hundred cubic feet (CCF) in US gallons

#: Services whose volume is potable water delivered (the State's "water delivered"); sewer
#: and fire lines deliver none of their own.
POTABLE = ("water", "irrigation")

#: The Electronic Annual Report's water-delivered columns (Drinking Water's EAR, section
#: "Water Production and Deliveries": delivered by customer class, month by month, one unit).
EAR_CLASSES: tuple[tuple[str, str], ...] = (
    ("single_family", "Single-family residential"),
    ("multi_family", "Multi-family residential"),
    ("commercial", "Commercial/Institutional"),
    ("industrial", "Industrial"),
    ("irrigation", "Landscape irrigation"),
    ("agriculture", "Agricultural"),
    ("other", "Other"),
)
#: A premise's kind (billing's copy of accounts' premises) as the EAR's class.
EAR_CLASS_OF_PREMISE = {"single_family": "single_family", "multi_family": "multi_family",
                        "commercial": "commercial", "irrigation": "irrigation",
                        "fire": "other"}
RESIDENTIAL = ("single_family", "multi_family")


def month_range(month: str) -> tuple[date, date]:
    """`2026-01` -> 2026-01-01 .. 2026-01-31, both days included."""
    y, m = int(month[:4]), int(month[5:7])
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def year_range(year: str) -> tuple[date, date]:
    return date(int(year), 1, 1), date(int(year), 12, 31)


def this_month(today: date) -> str:
    return f"{today.year:04d}-{today.month:02d}"


def last_year(today: date) -> str:
    return f"{today.year - 1:04d}"


def ear_class(premise_kind: str | None) -> str:
    return EAR_CLASS_OF_PREMISE.get(premise_kind or "", "other")


def gallons(hcf: Decimal) -> Decimal:
    """HCF as whole gallons (half up)."""
    return (hcf * GALLONS_PER_HCF).quantize(Decimal("1"), ROUND_HALF_UP)


def r_gpcd(residential_hcf: Decimal, population: int, days: int) -> Decimal | None:
    """Residential gallons per capita per day, to one place; None without a population
    (the State's figure needs the service area's residents, which only the district knows)."""
    if population <= 0 or days <= 0:
        return None
    return (residential_hcf * GALLONS_PER_HCF / population / days).quantize(
        Decimal("0.1"), ROUND_HALF_UP)
