"""End-of-day rules (pure, no I/O): the day's payments summed by channel and tender, who
settles each (our bank deposit, the lockbox bank, the processor, the bank's ACH), and the
tie-out of what payments took against what billing's ledger received.

Billing reaches payments only as events, so the ledger side is payments' copy of billing's
`payment` and `payment_reversal` entries (`LedgerEntryPosted`). Billing posts a payment under
the payment's id on its `received_on`, and a reversal under the return's id on its date: a
payment is **matched** when the ledger has its entry, for its amount, on its day; **missing**
when the ledger has not been heard to have it yet (the report says for how long); a
**difference** otherwise (another amount, another day, or a ledger entry for a payment payments
did not take that day). Nothing is matched by amount alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

ZERO = Decimal("0.00")
#: Channels whose cash, checks and money orders go to the bank in our own deposit.
DEPOSITED_CHANNELS = ("counter", "mail")
DEPOSITED_TENDERS = ("cash", "check", "money_order")
PROCESSOR_TENDERS = ("card", "bank")
#: At most this many missing or differing items are listed (counts and totals are complete).
LISTED = 500


@dataclass(frozen=True, slots=True)
class Paid:
    """A payment posted for the day."""

    id: str
    receipt_number: int
    account_number: str
    amount: Decimal
    channel: str
    tender: str
    posted_at: datetime | None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A billing ledger entry as payments heard it (payment: negative; reversal: positive)."""

    entry_id: str
    kind: str
    amount: Decimal
    posted_on: date
    reference: str | None
    posted_at: datetime


@dataclass(frozen=True, slots=True)
class Returned:
    """A return payments announced (`payments.PaymentReturned`) for the day."""

    reference: str
    payment_id: str
    amount: Decimal
    reason: str
    announced_at: datetime


@dataclass(frozen=True, slots=True)
class Sum:
    count: int = 0
    total: Decimal = ZERO

    def add(self, amount: Decimal) -> Sum:
        return Sum(self.count + 1, self.total + amount)


@dataclass(frozen=True, slots=True)
class Missing:
    reference: str
    amount: Decimal
    what: str
    since: datetime | None
    waiting_seconds: int | None


@dataclass(frozen=True, slots=True)
class Difference:
    reference: str
    kind: str  # amount | date | not_taken_that_day | unknown_payment
    payments_amount: Decimal | None
    ledger_amount: Decimal | None
    payments_date: date | None
    ledger_date: date | None


@dataclass(frozen=True, slots=True)
class TieOut:
    """`payments` is what payments took (or returned) that day; `ledger` what billing's ledger
    received for that day as payments has heard it."""

    payments: Sum
    ledger: Sum
    matched: Sum
    missing: Sum
    missing_items: list[Missing] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    differences_count: int = 0

    @property
    def balanced(self) -> bool:
        return self.missing.count == 0 and self.differences_count == 0


def settled_by(channel: str, tender: str) -> str:
    """Who takes the money to the bank: `deposit` (our bank deposit: drawers and mail
    batches), `lockbox` (the bank deposited the checks itself), `processor` (cards and bank
    payments through the payment processor), `bank` (anything else the bank settles directly,
    such as an ACH debit file)."""
    if channel in DEPOSITED_CHANNELS and tender in DEPOSITED_TENDERS:
        return "deposit"
    if channel == "lockbox":
        return "lockbox"
    if tender in PROCESSOR_TENDERS and channel != "autopay":
        return "processor"
    return "bank"


def group(paid: Iterable[Paid], key: str | tuple[str, ...]) -> dict[tuple[str, ...], Sum]:
    """Counts and totals by one or more of the payment's fields, in first-seen order sorted."""
    keys = (key,) if isinstance(key, str) else key
    out: dict[tuple[str, ...], Sum] = {}
    for p in paid:
        k = tuple(str(getattr(p, f)) for f in keys)
        out[k] = out.get(k, Sum()).add(p.amount)
    return dict(sorted(out.items()))


def _age(now: datetime, since: datetime | None) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def tie_payments(day: date, paid: Sequence[Paid], ledger: Sequence[LedgerEntry],
                 elsewhere: Mapping[str, date], now: datetime) -> TieOut:
    """Payments taken on `day` against billing's `payment` entries. `ledger` holds the entries
    posted on `day` and those naming one of `paid`; `elsewhere` gives the received date of any
    other payment a ledger entry of the day names (absent: payments has no such payment)."""
    entries = {e.reference: e for e in ledger if e.kind == "payment" and e.reference}
    matched, missing = Sum(), Sum()
    gone: list[Missing] = []
    diffs: list[Difference] = []
    ours = set()
    for p in paid:
        ours.add(p.id)
        e = entries.get(p.id)
        if e is None:
            missing = missing.add(p.amount)
            gone.append(Missing(p.id, p.amount, f"receipt {p.receipt_number} "
                                f"{p.channel}/{p.tender} {p.account_number}", p.posted_at,
                                _age(now, p.posted_at)))
        elif -e.amount != p.amount or e.posted_on != day:
            diffs.append(Difference(p.id, "amount" if -e.amount != p.amount else "date",
                                    p.amount, -e.amount, day, e.posted_on))
        else:
            matched = matched.add(p.amount)
    for e in ledger:
        if e.kind == "payment" and e.posted_on == day and e.reference not in ours:
            ref = e.reference or e.entry_id
            other = elsewhere.get(ref)
            diffs.append(Difference(ref, "not_taken_that_day" if other else "unknown_payment",
                                    None, -e.amount, other, e.posted_on))
    taken = Sum(len(paid), sum((p.amount for p in paid), ZERO))
    heard = [e for e in ledger if e.kind == "payment" and e.posted_on == day]
    return TieOut(taken, Sum(len(heard), -sum((e.amount for e in heard), ZERO)), matched,
                  missing, gone[:LISTED], diffs[:LISTED], len(diffs))


def tie_returns(day: date, returned: Sequence[Returned], ledger: Sequence[LedgerEntry],
                now: datetime) -> TieOut:
    """Returns payments announced for `day` against billing's `payment_reversal` entries
    (billing posts one per return id, or per payment when the return has no id)."""
    entries = {e.reference: e for e in ledger if e.kind == "payment_reversal" and e.reference}
    matched, missing = Sum(), Sum()
    gone: list[Missing] = []
    diffs: list[Difference] = []
    ours = set()
    for r in returned:
        ours.add(r.reference)
        e = entries.get(r.reference)
        if e is None:
            missing = missing.add(r.amount)
            gone.append(Missing(r.reference, r.amount, f"{r.reason} of payment {r.payment_id}",
                                r.announced_at, _age(now, r.announced_at)))
        elif e.amount != r.amount or e.posted_on != day:
            diffs.append(Difference(r.reference, "amount" if e.amount != r.amount else "date",
                                    r.amount, e.amount, day, e.posted_on))
        else:
            matched = matched.add(r.amount)
    for e in ledger:
        if e.kind == "payment_reversal" and e.posted_on == day and e.reference not in ours:
            diffs.append(Difference(e.reference or e.entry_id, "unknown_payment", None,
                                    e.amount, None, e.posted_on))
    heard = [e for e in ledger if e.kind == "payment_reversal" and e.posted_on == day]
    return TieOut(Sum(len(returned), sum((r.amount for r in returned), ZERO)),
                  Sum(len(heard), sum((e.amount for e in heard), ZERO)), matched, missing,
                  gone[:LISTED], diffs[:LISTED], len(diffs))
