"""The pure rules of arrangements: schedules that sum to the cent, what credits pay of the
instalments (after the debits that come due meanwhile), and when one is completed or broken."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.collections.arrangements import domain
from services.collections.arrangements.domain import Entry, Instalment, ScheduleError

D = Decimal


@given(cents=st.integers(min_value=100, max_value=10_000_000), months=st.integers(1, 12))
def test_an_amortised_schedule_sums_to_the_total_to_the_cent(cents: int, months: int) -> None:
    total = D(cents) / 100
    xs = domain.amortised(total, months, date(2026, 1, 31))
    assert sum(x.amount for x in xs) == total
    assert len(xs) == months
    assert max(x.amount for x in xs) - min(x.amount for x in xs) <= D("0.01")
    assert all(x.amount == x.amount.quantize(D("0.01")) for x in xs)
    assert [x.due_on for x in xs] == sorted({x.due_on for x in xs})


def test_monthly_dates_keep_the_day_or_the_months_last():
    xs = domain.amortised(D("300.00"), 3, date(2026, 1, 31))
    assert [x.due_on for x in xs] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]


def test_an_amount_too_small_for_the_months_is_refused():
    with pytest.raises(ScheduleError):
        domain.amortised(D("0.05"), 12, date(2026, 1, 1))


def test_a_schedule_due_out_of_order_or_in_the_past_is_refused():
    today, latest = date(2026, 2, 1), date(2027, 2, 1)
    with pytest.raises(ScheduleError, match="after the one before"):
        domain.checked_schedule("alternative", D("20.00"), [
            Instalment(date(2026, 3, 1), D("10.00")), Instalment(date(2026, 3, 1), D("10.00"))],
            today, latest)
    with pytest.raises(ScheduleError, match="before today"):
        domain.checked_schedule("alternative", D("10.00"), [
            Instalment(date(2026, 1, 31), D("10.00"))], today, latest)
    with pytest.raises(ScheduleError, match="at the latest"):
        domain.checked_schedule("deferral", D("10.00"), [
            Instalment(date(2027, 2, 2), D("10.00"))], today, latest)


def test_credits_pay_the_new_bill_due_first_then_the_instalments():
    made = date(2026, 2, 1)
    entries = [Entry(D("300.00"), date(2026, 1, 1), date(2026, 1, 20)),   # arranged arrears
               Entry(D("50.00"), date(2026, 2, 15), date(2026, 3, 10)),   # the current bill
               Entry(D("-120.00"), date(2026, 2, 27), None)]
    assert domain.paid_toward(entries, made, date(2026, 3, 9), D("300.00")) == D("120.00")
    assert domain.paid_toward(entries, made, date(2026, 3, 10), D("300.00")) == D("70.00")
    # a credit from before the arrangement was made does not count toward it
    early = [*entries, Entry(D("-40.00"), date(2026, 1, 25), None)]
    assert domain.paid_toward(early, made, date(2026, 3, 10), D("300.00")) == D("70.00")


def test_a_returned_payment_takes_its_credit_back():
    made = date(2026, 2, 1)
    entries = [Entry(D("-100.00"), date(2026, 2, 27), None),
               Entry(D("100.00"), date(2026, 3, 3), None)]  # returned, due when posted
    assert domain.paid_toward(entries, made, date(2026, 3, 2), D("300.00")) == D("100.00")
    assert domain.paid_toward(entries, made, date(2026, 3, 3), D("300.00")) == D("0.00")


def test_completed_broken_or_active():
    xs = [Instalment(date(2026, 3, 1), D("100.00")), Instalment(date(2026, 4, 1), D("100.00"))]
    assert domain.decide(D("200.00"), D("200.00"), xs, date(2026, 3, 1), 60) == "completed"
    assert domain.decide(D("200.00"), D("99.99"), xs, date(2026, 4, 29), 60) == "active"
    assert domain.decide(D("200.00"), D("99.99"), xs, date(2026, 4, 30), 60) == "broken"
    assert domain.decide(D("200.00"), D("100.00"), xs, date(2026, 5, 30), 60) == "active"
    assert domain.decide(D("200.00"), D("100.00"), xs, date(2026, 5, 31), 60) == "broken"
    assert domain.allocate(D("150.00"), xs) == [D("100.00"), D("50.00")]


def test_a_rebill_of_an_old_bill_does_not_pay_the_arrangement():
    """The old bill's cancellation is a credit posted after the arrangement; the rebill that
    replaces it keeps the old due date, and counts against that credit once posted."""
    made = date(2026, 2, 1)
    entries = [Entry(D("300.00"), date(2026, 1, 1), date(2026, 1, 20)),
               Entry(D("-300.00"), date(2026, 2, 10), None),               # cancelled
               Entry(D("280.00"), date(2026, 2, 10), date(2026, 1, 20))]   # rebilled
    assert domain.paid_toward(entries, made, date(2026, 2, 11), D("300.00")) == D("20.00")
