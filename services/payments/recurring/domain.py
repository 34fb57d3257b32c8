"""When a scheduled payment falls due and how much it takes (pure, no I/O).

A schedule is `once` (a saved method charged on a date) or `monthly` (on a day of the month,
the last day in a shorter month: the 31st is the 30th in April and the 28th or 29th in
February), between `start_on` and `end_on`. Its amount is `fixed` or the `balance` due on the
day: a balance of zero or a credit takes nothing. The daily run charges each occurrence once,
keyed by (schedule, occurrence date); an occurrence the run missed (the job did not run that
day) is still charged within the configured catch-up days, never twice.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kernel.errors import Unprocessable

KINDS = ("once", "monthly")
AMOUNT_RULES = ("fixed", "balance")


@dataclass(frozen=True, slots=True)
class Plan:
    kind: str
    day_of_month: int | None
    amount_rule: str
    amount: Decimal | None
    start_on: date
    end_on: date | None


def plan(kind: str, *, day_of_month: int | None, amount_rule: str, amount: Decimal | None,
         start_on: date, end_on: date | None, today: date) -> Plan:
    """A schedule a customer may make, or the refusal naming the field."""
    if kind not in KINDS:
        raise Unprocessable("kind is once or monthly", field="kind")
    if amount_rule not in AMOUNT_RULES:
        raise Unprocessable("amount_rule is fixed or balance", field="amount_rule")
    if start_on < today:
        raise Unprocessable("A schedule starts today or later", field="start_on")
    if kind == "once":
        if day_of_month is not None:
            raise Unprocessable("A one-time payment is on its start_on date: no day_of_month",
                                field="day_of_month")
        if end_on is not None:
            raise Unprocessable("A one-time payment has no end_on", field="end_on")
    elif day_of_month is None or not 1 <= day_of_month <= 31:
        raise Unprocessable("A monthly payment needs day_of_month 1 to 31",
                            field="day_of_month")
    if end_on is not None and end_on < start_on:
        raise Unprocessable("end_on is on or after start_on", field="end_on")
    if amount_rule == "fixed":
        if amount is None:
            raise Unprocessable("A fixed payment needs its amount", field="amount")
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise Unprocessable("The amount is above zero with at most two decimal places",
                                field="amount")
    elif amount is not None:
        raise Unprocessable("A balance-due payment takes the balance on the day: no amount",
                            field="amount")
    return Plan(kind, day_of_month, amount_rule, amount, start_on, end_on)


def on_day(year: int, month: int, day_of_month: int) -> date:
    """`day_of_month` in that month, or its last day when the month is shorter."""
    return date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def due_dates(p: Plan, today: date, catch_up_days: int) -> list[date]:
    """The occurrences the run on `today` should charge: on or before today, not older than
    `catch_up_days`, within start_on..end_on."""
    earliest = today - timedelta(days=catch_up_days)
    if p.kind == "once":
        found = [p.start_on]
    else:
        assert p.day_of_month is not None
        prev = today.replace(day=1) - timedelta(days=1)
        found = [on_day(prev.year, prev.month, p.day_of_month),
                 on_day(today.year, today.month, p.day_of_month)]
    return [d for d in found if earliest <= d <= today and d >= p.start_on
            and (p.end_on is None or d <= p.end_on)]


def finished(p: Plan, today: date, catch_up_days: int) -> str | None:
    """Why no occurrence is left to charge after today's run: `ended` (a monthly schedule past
    its end_on), `missed` (a one-time payment whose date is older than the catch-up window:
    the job did not run in time, and a charge weeks late is not what the customer asked
    for); None while it goes on."""
    if p.kind == "monthly":
        return "ended" if p.end_on is not None and p.end_on < today else None
    return "missed" if p.start_on < today - timedelta(days=catch_up_days) else None


def amount_due(p: Plan, balance: Decimal | None) -> Decimal | None:
    """What an occurrence takes: the fixed amount, or the balance when it is above zero; None
    when nothing is due (a zero balance, a credit, or no balance billing has announced)."""
    if p.amount_rule == "fixed":
        return p.amount
    if balance is None or balance <= 0:
        return None
    return balance.quantize(Decimal("0.01"))


def processor_key(schedule_id: str, on: date) -> str:
    """The idempotency key the processor gets for one occurrence: a retried or concurrent run
    asks for the same charge, and the processor returns the first."""
    return f"recurring:{schedule_id}:{on.isoformat()}"
