"""Aging of the receivable (pure): what an account owes, by how long it has been past due.

The rule is billing's (`services/billing/ledger/domain.py: aging`), with collections' finer
buckets above 90 days: debits (bills, positive budget deferrals, late charges, returned
payments, transfers in …) age from their due date, or their posting date when they have none;
all credits (payments, adjustments, cancellations, negative deferrals …) together pay the
oldest open debit first; what is left of them is an unapplied credit. Debits due on the same
day fall in one bucket whichever is paid first, so the buckets never depend on the order in
which the entries arrived. `tests/collections/test_aging_domain.py` proves both rules agree to
the cent on drawn ledgers.

An entry counts from its posting date: the aging "as of" a day leaves out what was posted
after it, so a month-end report run a few days late shows the month end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

#: Each bucket with the most days past due it holds (the last holds everything older): the
#: one place the edges are written; `bucket` and the SQL of `repository` both read it.
BUCKET_LIMITS: tuple[tuple[str, int | None], ...] = (
    ("current", 0), ("days_1_30", 30), ("days_31_60", 60), ("days_61_90", 90),
    ("days_91_120", 120), ("days_over_120", None),
)
BUCKETS: tuple[str, ...] = tuple(name for name, _ in BUCKET_LIMITS)
#: How each of collections' buckets sums into billing's (its last is "over 90").
BILLING_BUCKET: dict[str, str] = {
    "current": "current", "days_1_30": "days_1_30", "days_31_60": "days_31_60",
    "days_61_90": "days_61_90", "days_91_120": "days_over_90", "days_over_120": "days_over_90",
}
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry: positive a debit, negative a credit."""

    amount: Decimal
    posted_on: date
    due_date: date | None = None


@dataclass(frozen=True)
class Aging:
    as_of: date
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    unapplied_credit: Decimal = ZERO
    oldest_due: date | None = None

    @property
    def balance(self) -> Decimal:
        """The sum of the entries: what is open in the buckets less the unapplied credit."""
        return sum(self.buckets.values(), ZERO) - self.unapplied_credit

    @property
    def past_due(self) -> Decimal:
        return sum((v for k, v in self.buckets.items() if k != "current"), ZERO)

    @property
    def days_past_due(self) -> int:
        """Days since the oldest open debit fell due (0 when nothing is past due)."""
        return max(0, (self.as_of - self.oldest_due).days) if self.oldest_due else 0


def bucket(days_past_due: int) -> str:
    for name, limit in BUCKET_LIMITS:
        if limit is None or days_past_due <= limit:
            return name
    raise AssertionError("the last bucket has no limit")


def aging(entries: Iterable[Entry], as_of: date) -> Aging:
    """The account's aging as of a day, from its entries posted on or before that day."""
    debits: list[tuple[date, Decimal]] = []
    credit = ZERO
    for e in entries:
        if e.posted_on > as_of:
            continue
        if e.amount > 0:
            debits.append((e.due_date or e.posted_on, e.amount))
        else:
            credit -= e.amount
    debits.sort(key=lambda d: d[0])
    out = dict.fromkeys(BUCKETS, ZERO)
    oldest: date | None = None
    for due, amount in debits:
        take = min(amount, credit)
        credit -= take
        left = amount - take
        if left:
            out[bucket((as_of - due).days)] += left
            oldest = due if oldest is None else min(oldest, due)
    return Aging(as_of=as_of, buckets=out, unapplied_credit=credit, oldest_due=oldest)


def in_billing_buckets(buckets: dict[str, Decimal]) -> dict[str, Decimal]:
    """Collections' buckets summed into billing's five (to compare the two)."""
    out: dict[str, Decimal] = {}
    for name, amount in buckets.items():
        out[BILLING_BUCKET[name]] = out.get(BILLING_BUCKET[name], ZERO) + amount
    return out


@dataclass
class Totals:
    """A report's totals: the buckets, the unapplied credit and the balance summed over its
    accounts (`balance` is the sum of every entry counted, so it ties to the ledger)."""

    accounts: int = 0
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    unapplied_credit: Decimal = ZERO
    balance: Decimal = ZERO

    def add(self, a: Aging) -> None:
        self.accounts += 1
        for k, v in a.buckets.items():
            self.buckets[k] += v
        self.unapplied_credit += a.unapplied_credit
        self.balance += a.balance
