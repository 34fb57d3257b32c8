"""Receivable rules (pure): balance and aging derived from entries, credits applied oldest-first.

Debits (bills, late charges, transfers in ...) age from their due date (their posting date when
they have none). Credits (payments, adjustments, cancellations ...) pay the oldest open debit
first; what is left of a credit is an unapplied credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")


@dataclass(frozen=True)
class Entry:
    amount: Decimal
    posted_on: date
    due_date: date | None
    seq: int


def bucket(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "days_1_30"
    if days_past_due <= 60:
        return "days_31_60"
    if days_past_due <= 90:
        return "days_61_90"
    return "days_over_90"


def aging(entries: list[Entry], today: date) -> tuple[dict[str, Decimal], Decimal]:
    """(amount still open per bucket, unapplied credit >= 0); balance = buckets - credit."""
    debits = sorted([e for e in entries if e.amount > 0],
                    key=lambda e: (e.due_date or e.posted_on, e.seq))
    open_amounts = [e.amount for e in debits]
    credit = -sum((e.amount for e in entries if e.amount < 0), Decimal(0))
    for i, amt in enumerate(open_amounts):
        take = min(amt, credit)
        open_amounts[i] -= take
        credit -= take
        if credit == 0:
            break
    out = dict.fromkeys(BUCKETS, Decimal("0.00"))
    for e, left in zip(debits, open_amounts, strict=True):
        if left:
            out[bucket((today - (e.due_date or e.posted_on)).days)] += left
    return out, credit


def budget_amount(bill_totals: list[Decimal], months: int = 12) -> Decimal | None:
    """Budget billing: the monthly amount is the average of the last `months` bills (None
    without that much history)."""
    if len(bill_totals) < months:
        return None
    avg = sum(bill_totals[:months], Decimal(0)) / months
    return avg.quantize(Decimal("0.01"), ROUND_HALF_UP)
