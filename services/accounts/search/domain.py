"""Turning what a CSR types into search terms (no I/O)."""

from __future__ import annotations

import re

MAX_TERMS = 5
_PHONE = re.compile(r"^[\d\s().+-]{7,}$")
_SPLIT = re.compile(r"[\s,;]+")


def normalise_query(raw: str) -> list[str]:
    """Lower-case terms; a phone number typed with punctuation becomes one run of digits."""
    text = raw.strip().lower()
    if _PHONE.match(text) and sum(ch.isdigit() for ch in text) >= 10:
        return ["".join(ch for ch in text if ch.isdigit())]
    terms = [t.strip("#.'\"") for t in _SPLIT.split(text)]
    return [t for t in terms if t][:MAX_TERMS]


def exact_number(raw: str) -> str | None:
    """The query as an account number when it looks like one (digits only, 9 long)."""
    digits = raw.strip().replace("-", "").replace(" ", "")
    return digits if digits.isdigit() and len(digits) == 9 else None
