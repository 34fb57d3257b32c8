"""Bill-run rules (pure): the run's life cycle, who may move it, review thresholds, dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

NEXT = {"prepare": ("preview", "prepared"), "approve": ("prepared", "approved"),
        "finalise": ("approved", "finalised"), "discard": ("preview", "discarded"),
        "reopen": ("prepared", "preview")}


@dataclass(frozen=True)
class ReviewThresholds:
    """A bill is flagged above `max_total` or when it changes by more than `change` (0.5 =
    50 %) from the account's last final bill. Configurable under `runs.thresholds`."""

    max_total: Decimal = Decimal("1000.00")
    change: Decimal = Decimal("0.5")
    due_days: int = 21


def transition(action: str, status: str) -> str | None:
    """The new status for `action` from `status`, or None when not allowed from there."""
    frm, to = NEXT[action]
    if action == "discard" and status in ("preview", "prepared"):
        return to
    return to if status == frm else None


def approval_refusal(approver: str, preparer: str | None, creator: str) -> str | None:
    """Why `approver` may not approve (None: may). Nobody approves work they prepared."""
    if approver == preparer:
        return "the preparer of a run cannot approve it"
    if preparer is None and approver == creator:
        return "the creator of a run cannot approve it"
    return None


def due_date(bill_date: date, due_days: int) -> date:
    return bill_date + timedelta(days=due_days)


def period_ok(start: date, end: date) -> str | None:
    if end < start:
        return "period_end is before period_start"
    if (end - start).days > 370:
        return "a bill period is at most a year"
    return None
