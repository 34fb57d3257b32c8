"""What a layout's parser hands the reader, and the small field readers both layouts share.

Each layout (fixedwidth.py, csvlayout.py) turns numbered text lines into a `Parsed`: header facts,
batches and remittances, having already reduced every MICR account (domain.reduce_remitter) and
noted bad lines and totals that do not tie out. The reader adds the content hash and refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from services.payments.lockbox.domain import BatchTotals, LineErrors, Remittance


@dataclass(slots=True)
class Parsed:
    origin: str = ""
    destination: str = ""
    file_id: str = ""
    created: date | None = None
    batches: list[BatchTotals] = field(default_factory=list)
    remittances: list[Remittance] = field(default_factory=list)
    count: int = 0
    total: Decimal = Decimal(0)
    malformed: LineErrors = field(default_factory=LineErrors)
    mismatched: LineErrors = field(default_factory=LineErrors)


class FieldInvalid(ValueError):
    """A field is not what the layout says; the message names the field, never its value."""


_CENT = Decimal("0.01")
_dates: dict[str, date] = {}


def read_date(text: str, name: str) -> date:
    """YYYYMMDD or YYYY-MM-DD; a file repeats a handful of dates, so they are cached."""
    got = _dates.get(text)
    if got is not None:
        return got
    digits = text.replace("-", "") if len(text) == 10 and text[4] == text[7] == "-" else text
    if len(digits) != 8 or not digits.isdigit():
        raise FieldInvalid(f"{name} is not a date (YYYYMMDD or YYYY-MM-DD)")
    try:
        got = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise FieldInvalid(f"{name} is not a calendar date") from None
    if len(_dates) < 10_000:
        _dates[text] = got
    return got


def read_int(text: str, name: str) -> int:
    text = text.strip()
    if not text.isdigit():
        raise FieldInvalid(f"{name} must be digits")
    return int(text)


def read_cents(text: str, name: str) -> Decimal:
    """Whole cents, right-justified, zero-filled; a leading '-' marks a negative amount."""
    text = text.strip()
    negative = text[:1] == "-"
    digits = text[1:] if negative else text
    if not digits.isdigit():
        raise FieldInvalid(f"{name} must be whole cents (digits, optionally a leading '-')")
    cents = int(digits)
    return Decimal(-cents if negative else cents).scaleb(-2)


def read_dollars(text: str, name: str) -> Decimal:
    """Dollars with a decimal point ('1234.5', '1234.56', '-3.00'); no currency sign or commas.

    More than two places is read (the line then waits in suspense), not refused.
    """
    text = text.strip()
    body = text[1:] if text[:1] == "-" else text
    whole, dot, frac = body.partition(".")
    if not whole.isdigit() or (dot and not frac.isdigit()):
        raise FieldInvalid(f"{name} must be a decimal amount like 1234.56")
    value = Decimal(text)
    cents = value.quantize(_CENT)
    return cents if len(frac) <= 2 or cents == value else value  # '12.300' is whole cents
