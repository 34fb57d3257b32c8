"""When a scheduled payment is due and what it takes (pure rules, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kernel.errors import Unprocessable
from services.payments.recurring.domain import Plan, amount_due, due_dates, finished, on_day, plan

TODAY = date(2027, 1, 10)


def monthly(day: int, start: date = date(2026, 1, 1), end: date | None = None,
            rule: str = "fixed") -> Plan:
    return Plan("monthly", day, rule, Decimal("40.00") if rule == "fixed" else None, start, end)


def test_the_31st_is_the_last_day_of_a_shorter_month():
    assert on_day(2027, 2, 31) == date(2027, 2, 28)
    assert on_day(2028, 2, 30) == date(2028, 2, 29)
    assert on_day(2027, 4, 31) == date(2027, 4, 30)
    assert due_dates(monthly(31), date(2027, 2, 28), 0) == [date(2027, 2, 28)]


def test_a_monthly_payment_is_due_on_its_day_only():
    assert due_dates(monthly(10), TODAY, 0) == [TODAY]
    assert due_dates(monthly(11), TODAY, 0) == []
    assert due_dates(monthly(9), TODAY, 0) == []


def test_a_missed_day_is_caught_up_within_the_window_only():
    assert due_dates(monthly(8), TODAY, 5) == [date(2027, 1, 8)]
    assert due_dates(monthly(1), TODAY, 5) == []
    # across the month boundary
    assert due_dates(monthly(30), date(2027, 1, 2), 5) == [date(2026, 12, 30)]


def test_nothing_is_due_before_the_start_or_after_the_end():
    assert due_dates(monthly(10, start=date(2027, 1, 11)), TODAY, 5) == []
    assert due_dates(monthly(10, end=date(2027, 1, 9)), TODAY, 5) == []
    assert finished(monthly(10, end=date(2027, 1, 9)), TODAY, 5) == "ended"
    assert finished(monthly(10, end=TODAY), TODAY, 5) is None


def test_a_one_time_payment_missed_beyond_the_window_is_finished_as_missed():
    once = Plan("once", None, "fixed", Decimal("5.00"), date(2027, 1, 4), None)
    assert due_dates(once, TODAY, 5) == [] and finished(once, TODAY, 5) == "missed"
    assert finished(once, date(2027, 1, 9), 5) is None


def test_a_one_time_payment_is_due_on_its_date():
    once = Plan("once", None, "fixed", Decimal("5.00"), TODAY, None)
    assert due_dates(once, TODAY, 0) == [TODAY]
    assert due_dates(once, date(2027, 1, 9), 0) == []


@pytest.mark.parametrize("balance", [None, Decimal("0.00"), Decimal("-12.00")])
def test_the_balance_due_takes_nothing_when_nothing_is_owed(balance):
    assert amount_due(monthly(10, rule="balance"), balance) is None


def test_the_balance_due_takes_the_balance_and_fixed_takes_its_amount():
    assert amount_due(monthly(10, rule="balance"), Decimal("61.07")) == Decimal("61.07")
    assert amount_due(monthly(10), Decimal("-5.00")) == Decimal("40.00")


@pytest.mark.parametrize("kwargs,field", [
    ({"kind": "weekly"}, "kind"),
    ({"start_on": date(2027, 1, 9)}, "start_on"),
    ({"day_of_month": None}, "day_of_month"),
    ({"day_of_month": 32}, "day_of_month"),
    ({"end_on": date(2027, 1, 1)}, "end_on"),
    ({"amount": None}, "amount"),
    ({"amount": Decimal("0")}, "amount"),
    ({"amount": Decimal("1.005")}, "amount"),
    ({"amount_rule": "balance"}, "amount"),
    ({"kind": "once"}, "day_of_month"),
])
def test_a_schedule_that_cannot_be_kept_is_refused_naming_the_field(kwargs, field):
    args = {"kind": "monthly", "day_of_month": 5, "amount_rule": "fixed",
            "amount": Decimal("10.00"), "start_on": TODAY, "end_on": None, "today": TODAY}
    args.update(kwargs)
    with pytest.raises(Unprocessable) as refused:
        plan(**args)  # type: ignore[arg-type]
    assert refused.value.errors and refused.value.errors[0].field == field
