"""Autopay rules: how much to debit, when, and when a new bank account must be prenoted first.

Pure functions over what the payments service already knows (its copy of the account's balance,
the bill's due date, the enrolment); "today" is always a parameter.

- The amount is decided when the debit is created, from the balance due then, never from the
  bill: a payment or an adjustment since the bill lowers it, and nothing is debited when nothing is
  due. Budget-billed accounts pay the month's budget amount, less what they paid since the bill.
- A debit settles on the due date; when that is not a banking day (weekend, Federal Reserve
  holiday), on the banking day before, so autopay is never late. The file goes to the bank one
  banking day before settlement.
- A new or changed bank account is prenoted (a zero-dollar entry) and live debits wait at least
  three banking days after the prenote settles (NACHA).

Wired: the autopay run (service.py) prices each bill due soon with `debit_amount` and dates it
with `schedule_debit`; the file cut and the card charge look again with `review_debit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache

import holidays

#: NACHA: live entries no sooner than three banking days after the prenote's settlement date.
PRENOTE_WAIT_BANKING_DAYS = 3
_CENT = Decimal("0.01")


class BankingCalendar:
    """Days the Federal Reserve settles ACH: weekdays that are not Federal Reserve holidays.

    A holiday on a Saturday is not moved (the Reserve Banks open the Friday before); one on a
    Sunday is observed on Monday. The holiday rules are the `holidays` package's Federal Reserve
    calendar (XFED), so a new federal holiday arrives with a library upgrade.
    """

    def is_banking_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _fed_holidays(day.year)

    def next_banking_day(self, day: date) -> date:
        """The first banking day after `day`."""
        day += timedelta(days=1)
        while not self.is_banking_day(day):
            day += timedelta(days=1)
        return day

    def previous_banking_day(self, day: date) -> date:
        """The last banking day before `day`."""
        day -= timedelta(days=1)
        while not self.is_banking_day(day):
            day -= timedelta(days=1)
        return day

    def on_or_before(self, day: date) -> date:
        return day if self.is_banking_day(day) else self.previous_banking_day(day)

    def on_or_after(self, day: date) -> date:
        return day if self.is_banking_day(day) else self.next_banking_day(day)

    def add_banking_days(self, day: date, count: int) -> date:
        for _ in range(count):
            day = self.next_banking_day(day)
        return day


@lru_cache(maxsize=64)
def _fed_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.financial_holidays("XFED", years=year))


class NoDebitReason(StrEnum):
    NOTHING_DUE = "nothing_due"
    OVER_LIMIT = "over_limit"


@dataclass(frozen=True)
class DebitAmount:
    """The amount to debit, or why there is none (said to the customer, not silently skipped)."""

    amount: Decimal | None
    reason: NoDebitReason | None = None


def debit_amount(
    *,
    balance_due: Decimal,
    budget_amount: Decimal | None = None,
    paid_since_bill: Decimal = Decimal("0"),
    limit: Decimal | None = None,
) -> DebitAmount:
    """What to debit for a bill, decided when the debit is created.

    `balance_due` is the account's balance now (ledger: bills, adjustments and payments up to this
    moment; a credit balance is negative). A budget-billed account pays its `budget_amount` less
    what it `paid_since_bill`, never more than the whole balance due. A customer's `limit` is a
    ceiling they set: above it nothing is debited and they are told to pay themselves.
    """
    for name, value in (("balance_due", balance_due), ("paid_since_bill", paid_since_bill),
                        ("budget_amount", budget_amount), ("limit", limit)):
        if value is not None and not isinstance(value, Decimal):
            raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    if budget_amount is not None:
        owed = min(budget_amount - paid_since_bill, balance_due)
    else:
        owed = balance_due
    owed = owed.quantize(_CENT, rounding=ROUND_HALF_UP)
    if owed <= 0:
        return DebitAmount(None, NoDebitReason.NOTHING_DUE)
    if limit is not None and owed > limit:
        return DebitAmount(None, NoDebitReason.OVER_LIMIT)
    return DebitAmount(owed)


def needs_prenote(
    *, prenote_sent_on: date | None, bank_details_changed_since_prenote: bool = False
) -> bool:
    """A bank account never prenoted, or changed since (a new account, a NOC), is prenoted."""
    return prenote_sent_on is None or bank_details_changed_since_prenote


def earliest_live_debit(prenote_settles_on: date, calendar: BankingCalendar,
                        wait: int = PRENOTE_WAIT_BANKING_DAYS) -> date:
    """The first settlement date a live debit may have after a prenote (`wait` banking days
    later, 3 by NACHA; a district may configure more)."""
    return calendar.add_banking_days(prenote_settles_on, wait)


def first_possible_settlement(today: date, calendar: BankingCalendar) -> date:
    """A file sent today (or, on a closed day, the next banking day) settles a banking day later."""
    return calendar.next_banking_day(calendar.on_or_after(today))


@dataclass(frozen=True)
class ScheduledDebit:
    #: The effective entry date written in the file: the day the money moves.
    settlement_date: date
    #: The banking day the file must reach the bank.
    send_on: date
    #: Whether the due date could not be met (prenote wait, or a bill issued too late).
    after_due_date: bool


def schedule_debit(
    *,
    due_date: date,
    today: date,
    calendar: BankingCalendar,
    not_before: date | None = None,
) -> ScheduledDebit:
    """When a debit for a bill due on `due_date` settles, seen from `today`.

    On the due date, or the banking day before it when the due date is not one. Never earlier
    than the first settlement a file sent today can have, nor than `not_before` (the prenote
    wait); then it settles on the first banking day allowed, past the due date, and says so.
    """
    target = calendar.on_or_before(due_date)
    earliest = first_possible_settlement(today, calendar)
    if not_before is not None:
        earliest = max(earliest, calendar.on_or_after(not_before))
    settle = max(target, earliest)
    return ScheduledDebit(
        settlement_date=settle,
        send_on=calendar.previous_banking_day(settle),
        after_due_date=settle > due_date,
    )


def live_debits_from(
    *, live_from: date | None, prenote_required: bool, today: date,
    calendar: BankingCalendar, wait: int = PRENOTE_WAIT_BANKING_DAYS,
) -> date | None:
    """The earliest settlement of a live debit for an enrolment, as known `today`.

    Known once its prenote is in a file (`live_from`); before that, estimated as if the prenote
    went in today's file. None: no prenote, no wait.
    """
    if live_from is not None:
        return live_from
    if not prenote_required:
        return None
    return earliest_live_debit(first_possible_settlement(today, calendar), calendar, wait)


class Verdict(StrEnum):
    SEND = "send"
    HOLD = "hold"
    DROP = "drop"


@dataclass(frozen=True)
class Review:
    verdict: Verdict
    amount: Decimal | None = None
    reason: str | None = None


def review_debit(
    *,
    scheduled: Decimal,
    enrolment_active: bool,
    bill_open: bool,
    balance: Decimal | None,
    other_scheduled: Decimal = Decimal("0"),
    cash_only: bool = False,
    settles_on: date | None = None,
    live_from: date | None = None,
    prenote_required: bool = False,
) -> Review:
    """A scheduled debit looked at again when the money is about to move (file cut, card
    charge): the copy may have learnt of a payment, an adjustment or a cancelled bill since.

    It is dropped when its enrolment or bill is gone, the account became cash-only (a bank
    debit), or nothing is due any more; it goes for the smaller of what the customer was told
    and what is due now (never more than the pre-notice said). A bank debit whose prenote has
    not aged by `settles_on` is held for a later file.
    """
    if not enrolment_active:
        return Review(Verdict.DROP, reason="enrolment_cancelled")
    if not bill_open:
        return Review(Verdict.DROP, reason="bill_cancelled")
    if cash_only:
        return Review(Verdict.DROP, reason="cash_only")
    if balance is None:
        return Review(Verdict.HOLD, reason="balance_unknown")
    owed = debit_amount(balance_due=balance - other_scheduled)
    if owed.amount is None:
        return Review(Verdict.DROP, reason=str(owed.reason))
    if settles_on is not None and prenote_required and (
            live_from is None or live_from > settles_on):
        return Review(Verdict.HOLD, reason="prenote_waiting")
    return Review(Verdict.SEND, amount=min(scheduled, owed.amount))
