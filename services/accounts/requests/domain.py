"""The rules of a service request, without I/O: what each kind must say, and how staff may
move its status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: How far ahead a customer may ask for a start, stop or transfer.
MAX_DAYS_AHEAD = 90

#: Where a status may go next; `done` and `declined` are final.
NEXT = {
    "received": {"in_progress", "done", "declined"},
    "in_progress": {"done", "declined"},
    "done": set[str](),
    "declined": set[str](),
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def check(kind: str, today: date, preferred_date: date | None, has_address: bool,
          bill_id: object | None, message: str) -> Problem | None:
    """The first thing missing or wrong in a request of `kind`, or None."""
    if kind in ("start", "stop", "transfer"):
        if preferred_date is None:
            return Problem("preferred_date", "Say on which day")
        if preferred_date < today:
            return Problem("preferred_date", "The day cannot be in the past")
        if (preferred_date - today).days > MAX_DAYS_AHEAD:
            return Problem("preferred_date",
                           f"The day can be at most {MAX_DAYS_AHEAD} days from today")
    if kind in ("start", "transfer") and not has_address:
        return Problem("address", "Give the service address")
    if kind == "high_bill_review" and bill_id is None:
        return Problem("bill_id", "Say which bill to review")
    if kind == "contact" and not message.strip():
        return Problem("message", "Write your message")
    return None


def may_move(current: str, to: str) -> bool:
    return to in NEXT.get(current, set())
