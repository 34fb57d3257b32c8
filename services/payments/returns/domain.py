"""Returned payments and cash-only accounts: the rules (pure, no I/O; "today" is a parameter).

A check or money order the bank sends back (not sufficient funds, stop payment, account
closed, ...) and an autopay debit the bank returns (NACHA R codes) reverse the whole payment,
once. Cash never comes back; a card or bank payment taken through the processor comes back
through the processor's own webhooks (refund, chargeback, ACH return), never by hand.

Cash-only follows from the returns themselves, not from a counter kept on the side: the account
is cash-only while some `threshold` returns fall within `window_months` of each other, for
`period_months` after the last of them. So a late-recorded return, one recorded out of order or
a redelivery cannot leave the flag wrong. A supervisor's manual flag wins; a supervisor's clear
forgives every return dated on or before it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kernel.errors import Conflict, Unprocessable

REASONS = ("returned_check", "ach_return")

#: The bank's reasons for sending back a check or money order (what the return item says).
CHECK_CODES: dict[str, str] = {
    "NSF": "Not sufficient funds",
    "UNCOLLECTED_FUNDS": "Uncollected funds",
    "STOP_PAYMENT": "Payment stopped",
    "ACCOUNT_CLOSED": "Account closed",
    "UNABLE_TO_LOCATE": "Unable to locate account",
    "ACCOUNT_FROZEN": "Account frozen",
    "REFER_TO_MAKER": "Refer to maker",
    "SIGNATURE": "Signature missing or irregular",
    "ENDORSEMENT": "Endorsement missing or irregular",
    "STALE_DATED": "Stale dated",
    "POST_DATED": "Post dated",
    "ALTERED": "Altered or fictitious",
    "FORGERY": "Forged",
    "OTHER": "Other (see note)",
}
_ACH_CODE = re.compile(r"R[0-9]{2}")
CENTS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Returnable:
    """What the rules need to know of the payment being returned."""

    tender: str
    channel: str
    status: str
    received_on: date


@dataclass(frozen=True, slots=True)
class Rules:
    """The configured policy (Settings: payments_cash_only_*)."""

    threshold: int = 2
    window_months: int = 12
    period_months: int = 12


@dataclass(frozen=True, slots=True)
class ManualFlag:
    """A supervisor's last word on the account: `set` (until a date, or until cleared) or
    `cleared` on a date (returns on or before it no longer count)."""

    state: str | None
    until: date | None
    cleared_on: date | None


@dataclass(frozen=True, slots=True)
class CashOnly:
    """Whether payments holds the account cash-only on a day, why, since when, until when."""

    cash_only: bool
    reason: str | None
    since: date | None
    until: date | None
    returns_in_window: int


def check_reason(reason: str) -> str:
    if reason not in REASONS:
        raise Unprocessable(f"The reason is one of {', '.join(REASONS)}", field="reason")
    return reason


def return_code(reason: str, code: str | None, note: str | None) -> str:
    """The bank's reason, required: one of CHECK_CODES for a check (OTHER with a note), an
    NACHA return code (R01 …) for an ACH return."""
    c = (code or "").strip().upper()
    if not c:
        raise Unprocessable("The bank's reason (return_code) is required", field="return_code")
    if reason == "ach_return":
        if not _ACH_CODE.fullmatch(c):
            raise Unprocessable("An ACH return code is R and two digits (R01)",
                                field="return_code")
        return c
    if c not in CHECK_CODES:
        raise Unprocessable(f"The return code is one of {', '.join(CHECK_CODES)}",
                            field="return_code")
    if c == "OTHER" and not (note or "").strip():
        raise Unprocessable("A return for an OTHER reason needs a note saying what",
                            field="note")
    return c


def check_returnable(p: Returnable, reason: str) -> None:
    """Only a posted check, money order or bank debit comes back this way."""
    if p.tender == "cash":
        raise Unprocessable("Cash cannot be returned: it was counted at the counter",
                            field="payment_id")
    if p.channel == "processor" or p.tender == "card" or (
            p.tender == "bank" and p.channel != "autopay"):
        raise Unprocessable("A card or bank payment taken through the payment processor is "
                            "reversed by the processor's webhooks (refund, chargeback, ACH "
                            "return), not here", field="payment_id")
    if reason == "returned_check" and p.tender not in ("check", "money_order"):
        raise Unprocessable("Only a check or money order is a returned check",
                            field="reason")
    if reason == "ach_return" and p.tender != "bank":
        raise Unprocessable("Only an autopay bank debit comes back as an ACH return",
                            field="reason")
    if p.status != "posted":
        raise Conflict("The payment has not posted (a check in an open batch is removed "
                       "from the batch, not returned)", field="payment_id")


def check_returned_on(returned_on: date, received_on: date, today: date) -> None:
    if returned_on > today:
        raise Unprocessable("The return date cannot be in the future", field="returned_on")
    if returned_on < received_on:
        raise Unprocessable("The return date cannot be before the payment was received "
                            f"({received_on.isoformat()})", field="returned_on")


def fee(configured: Decimal, assess: bool) -> Decimal | None:
    """The returned-payment fee to assess: none when not assessed (waived, or the caller's
    rule says so) or when the configured fee is zero (disabled)."""
    if not assess or configured <= 0:
        return None
    return configured.quantize(CENTS)


def add_months(d: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def from_returns(dates: list[date], rules: Rules, cleared_on: date | None) -> CashOnly | None:
    """The latest run of `threshold` returns within `window_months` (each after the last
    manual clear): cash-only from the last return of that run for `period_months`. None when
    no such run exists."""
    counted = sorted(d for d in dates if cleared_on is None or d > cleared_on)
    n = rules.threshold
    for i in range(len(counted) - 1, n - 2, -1):
        last, first = counted[i], counted[i - n + 1]
        if first > add_months(last, -rules.window_months):
            in_window = sum(1 for d in counted[: i + 1]
                            if d > add_months(last, -rules.window_months))
            return CashOnly(True, "returns", last, add_months(last, rules.period_months),
                            in_window)
    return None


def state_on(today: date, dates: list[date], manual: ManualFlag, rules: Rules,
             since_manual: date | None = None) -> CashOnly:
    """Payments' cash-only state of the account on `today` (accounts' flag is ORed by the
    caller). `returns_in_window`: returns counted in the window that ends today."""
    counted = [d for d in dates if d <= today
               and (manual.cleared_on is None or d > manual.cleared_on)]
    recent = sum(1 for d in counted if d > add_months(today, -rules.window_months))
    if manual.state == "set" and (manual.until is None or today < manual.until):
        return CashOnly(True, "manual", since_manual, manual.until, recent)
    run = from_returns(counted, rules, manual.cleared_on)
    if run is not None and run.until is not None and today < run.until:
        return CashOnly(True, "returns", run.since, run.until, recent)
    return CashOnly(False, None, None, None, recent)


def manual_until(until: date | None, today: date) -> date | None:
    if until is not None and until <= today:
        raise Unprocessable("The cash-only end date must be after today", field="until")
    return until


def reason_text(reason: str | None, field: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise Unprocessable("A reason is required", field=field)
    if len(text) > 500:
        raise Unprocessable("A reason has at most 500 characters", field=field)
    return text
