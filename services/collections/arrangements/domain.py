"""Payment arrangements, the pure rules: schedules, what the account's credits have paid of the
instalments, and when an arrangement is completed or broken.

**Schedules.** An amortised arrangement spreads its total over `months` monthly instalments
(at most the policy's `default_months`, 12), each the total divided by the count rounded down
to the cent, the cents left over one each on the first instalments, so they sum to the total
exactly. An alternative schedule is staff's own dates and amounts, which must sum to the total;
a deferral is the whole total on one later date.

**The current bill stays due as usual.** The arrangement covers its total and nothing billed
after it: a credit posted from the day the arrangement was made first pays the debits that have
come due since that day (the current bills, a returned payment), and only what is left over
pays the instalments, oldest first. So a customer who pays the new bill and the instalment keeps
the arrangement; one who pays only the instalment has paid the new bill with it and falls behind
on the arrangement. In figures, on day `d` (`paid_toward`):
`paid = clamp(credits posted in [made_on, d] - debits due in [made_on, d], 0, total)`, where a
debit posted from `made_on` counts once due even if its due date is older (a rebill).

**States.** `active` until the credits cover the total (`completed`) or an instalment is still
not fully paid `broken_after_days` (SB 998: 60) days after its due date (`broken`: the final
notice is then posted at the premise at least `final_notice_business_days` business days
before any disconnection). Staff may `cancel` an active arrangement, with a reason. The daily
job applies these rules to every account at once in SQL (`repository.SWEEP`), which repeats
`decide` for speed; the tests hold both to the same facts.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
KINDS = ("amortised", "alternative", "deferral")
STATUSES = ("active", "completed", "broken", "cancelled")


@dataclass(frozen=True)
class Standing:
    """Where an account stands with arrangements, for the ladder and the guardrails."""

    status: str                 # 'none' | 'active' | 'broken' | 'completed'
    arrangement_id: uuid.UUID | None
    broken_on: date | None
    final_notice_on: date | None   # released_on of its final_notice (via notices.given_on)


@dataclass(frozen=True, slots=True)
class Instalment:
    due_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Entry:
    """A receivable row as the copy has it: posted on a day, due on a day (debits)."""

    amount: Decimal
    posted_on: date
    due_on: date | None


class ScheduleError(ValueError):
    """A schedule that cannot be: `field` names the offending input."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def add_months(d: date, n: int) -> date:
    """The same day `n` months later (the month's last day when it is shorter)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def amortised(total: Decimal, months: int, first_due: date) -> list[Instalment]:
    """`months` monthly instalments summing to `total` exactly: equal shares rounded down to
    the cent, the leftover cents one each on the first instalments."""
    if months < 1:
        raise ScheduleError("At least one instalment", "months")
    cents = int((total / CENT).to_integral_value())
    base, extra = divmod(cents, months)
    if base == 0:
        raise ScheduleError(f"{total} cannot be spread over {months} instalments of at least "
                            f"one cent", "months")
    return [Instalment(add_months(first_due, i), (base + (1 if i < extra else 0)) * CENT)
            for i in range(months)]


def checked_schedule(kind: str, total: Decimal, instalments: Sequence[Instalment],
                     today: date, latest: date) -> list[Instalment]:
    """Staff's own schedule (alternative, or a deferral's one date), refused when it cannot
    be: dates from today on, each later than the one before, by `latest` (the policy's longest
    arrangement), amounts positive and in cents, summing to the total."""
    if not instalments:
        raise ScheduleError("A schedule needs at least one instalment", "instalments")
    if kind == "deferral" and len(instalments) != 1:
        raise ScheduleError("A deferral is one later date for the whole amount", "instalments")
    prev: date | None = None
    for i, x in enumerate(instalments):
        where = f"instalments[{i}]"
        if x.amount <= 0 or x.amount != x.amount.quantize(CENT):
            raise ScheduleError("Each instalment is a positive amount in cents", where)
        if x.due_on < today:
            raise ScheduleError("An instalment cannot be due before today", where)
        if prev is not None and x.due_on <= prev:
            raise ScheduleError("Each instalment is due after the one before", where)
        if x.due_on > latest:
            raise ScheduleError(f"The last instalment is due by {latest} at the latest (the "
                                f"policy's longest arrangement)", where)
        prev = x.due_on
    got = sum((x.amount for x in instalments), Decimal("0"))
    if got != total:
        raise ScheduleError(f"The instalments sum to {got}, not the total {total}",
                            "instalments")
    return list(instalments)



def paid_toward(entries: Sequence[Entry], made_on: date, today: date,
                total: Decimal) -> Decimal:
    """What the account's credits have paid of the arrangement by `today`: credits posted from
    `made_on` less the debits that have come due from `made_on` (they stay due as usual) or
    were posted from then and are due (a rebill of an old bill, whose cancellation is one of
    those credits), between nothing and the total."""
    credits = -sum((e.amount for e in entries
                    if e.amount < 0 and made_on <= e.posted_on <= today), Decimal("0"))
    due = sum((e.amount for e in entries
               if e.amount > 0 and e.posted_on <= today and (e.due_on or e.posted_on) <= today
               and (made_on <= (e.due_on or e.posted_on) or made_on <= e.posted_on)),
              Decimal("0"))
    return max(Decimal("0.00"), min(total, credits - due))


def allocate(paid: Decimal, instalments: Sequence[Instalment]) -> list[Decimal]:
    """What `paid` covers of each instalment, oldest first."""
    out, left = [], paid
    for x in instalments:
        part = max(Decimal("0.00"), min(x.amount, left))
        out.append(part)
        left -= part
    return out


def decide(total: Decimal, paid: Decimal, instalments: Sequence[Instalment], today: date,
           broken_after_days: int) -> str:
    """`completed` when the total is paid; `broken` when an instalment is still short
    `broken_after_days` days after its due date; else `active`."""
    if paid >= total:
        return "completed"
    for x, part in zip(instalments, allocate(paid, instalments), strict=True):
        if part < x.amount and today - x.due_on >= timedelta(days=broken_after_days):
            return "broken"
    return "active"


def payload(arrangement_id: uuid.UUID, account_id: uuid.UUID, status: str, kind: str,
            total: Decimal, instalments: Sequence[Instalment], paid: Decimal,
            changed_on: date) -> dict[str, Any]:
    """`collections.ArrangementChanged`: the arrangement's new state, each instalment with
    what has been paid of it."""
    return {"arrangement_id": str(arrangement_id), "account_id": str(account_id),
            "status": status, "kind": kind, "total": str(total),
            "instalments": [{"due_on": x.due_on.isoformat(), "amount": str(x.amount),
                             "paid": str(p)}
                            for x, p in zip(instalments, allocate(paid, instalments),
                                            strict=True)],
            "changed_on": changed_on.isoformat()}


def schedule_details(instalments: Sequence[Instalment]) -> tuple[tuple[str, str], ...]:
    """The schedule as label/value rows for the confirmation letter (notices prints the
    `instalment` label in the letter's language)."""
    return tuple(("instalment", f"{x.due_on.isoformat()}: ${x.amount:,.2f}")
                 for x in instalments)
