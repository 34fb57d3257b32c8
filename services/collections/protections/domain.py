"""A household's SB 998 protections (pure): which are in force on a day.

SB 998 refuses a disconnection when all three hold: a primary care provider certifies that it
would be life-threatening; the household is financially unable to pay (a member receives
CalWORKs, CalFresh, general assistance, Medi-Cal, SSI/SSP or WIC, or the household's income is
below 200 % of the federal poverty line); and the customer is willing to enter an arrangement.
Low-income status caps the reconnection fee. A customer reached by phone or in person does not
need the 48-hour door tag. Each fact is recorded with its dates and who recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: What shows financial inability (SB 998: benefit enrolment, or income < 200 % of the FPL).
FINANCIAL_BASES: tuple[str, ...] = (
    "calworks", "calfresh", "general_assistance", "medi_cal", "ssi_ssp", "wic",
    "income_below_200_fpl",
)
SECTIONS: tuple[str, ...] = ("medical", "financial", "willing", "low_income", "reached")


@dataclass(frozen=True, slots=True)
class Facts:
    """The stored facts of one account (None where nothing is recorded)."""

    medical_certified_on: date | None = None
    medical_expires_on: date | None = None
    financial_on: date | None = None
    willing_on: date | None = None
    low_income_on: date | None = None
    low_income_until: date | None = None
    reached_on: date | None = None


def medical_in_force(f: Facts, today: date) -> bool:
    return (f.medical_certified_on is not None and f.medical_certified_on <= today
            and (f.medical_expires_on is None or today <= f.medical_expires_on))


def financially_unable(f: Facts, today: date) -> bool:
    return f.financial_on is not None and f.financial_on <= today


def willing(f: Facts, today: date) -> bool:
    return f.willing_on is not None and f.willing_on <= today


def low_income(f: Facts, today: date) -> bool:
    return (f.low_income_on is not None and f.low_income_on <= today
            and (f.low_income_until is None or today <= f.low_income_until))


def protected(f: Facts, today: date) -> bool:
    """All three of SB 998's conditions hold: disconnection is refused, an arrangement offered."""
    return medical_in_force(f, today) and financially_unable(f, today) and willing(f, today)


def dates_problem(first: date, last: date | None, today: date, what: str) -> str | None:
    """Why a recorded period cannot be (None: it can)."""
    if first > today:
        return f"{what} cannot start after today ({today})"
    if last is not None and last < first:
        return f"{what} cannot end before it starts"
    return None
