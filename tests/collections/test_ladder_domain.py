"""The ladder's rules without a database: one step a day, in order, spaced as the policy spaces
them; the shut-off notice's date at SB 998's floors on a business day; the late charge's
formula per step and the reversal's limits."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.collections.ladder.domain import Taken, disconnect_on, next_step, notice_id
from services.collections.latecharges.domain import (
    StepFacts,
    assess_steps,
    charges,
    reversal_amount,
)
from services.collections.policy.calendar import BusinessCalendar
from services.collections.policy.domain import Ladder, LateCharge, interest_part

DUE = date(2026, 3, 2)
P = Ladder()


def test_a_bill_takes_its_steps_in_order_on_their_days():
    assert next_step(P, DUE, [], DUE + timedelta(days=4)) is None
    assert next_step(P, DUE, [], DUE + timedelta(days=5)) == "reminder"
    taken = [Taken("reminder", DUE + timedelta(days=5))]
    assert next_step(P, DUE, taken, DUE + timedelta(days=19)) is None
    assert next_step(P, DUE, taken, DUE + timedelta(days=20)) == "first_notice"


def test_a_late_start_keeps_the_policys_spacing_between_letters():
    taken = [Taken("reminder", DUE + timedelta(days=40))]
    assert next_step(P, DUE, taken, DUE + timedelta(days=41)) is None
    assert next_step(P, DUE, taken, DUE + timedelta(days=55)) == "first_notice"


def test_a_bill_with_every_step_taken_takes_no_more():
    taken = [Taken(s, DUE) for s in ("reminder", "first_notice", "second_notice",
                                     "shutoff_notice")]
    assert next_step(P, DUE, taken, DUE + timedelta(days=400)) is None


@pytest.mark.parametrize("notice_on", [date(2026, 11, 10), date(2026, 12, 18),
                                       date(2026, 12, 31), date(2027, 3, 26)])
def test_the_disconnect_date_is_60_days_delinquent_and_7_business_days_after_the_notice(
        notice_on):
    cal = BusinessCalendar()
    floor = Ladder(disconnect_after_days=60, shutoff_notice_business_days=7)
    due = notice_on - timedelta(days=50)
    d = disconnect_on(floor, cal, due, notice_on)
    assert (d - due).days >= 60
    assert cal.business_days_between(notice_on, d) >= 7
    assert cal.is_business_day(d)
    earlier = d - timedelta(days=1)
    assert not ((earlier - due).days >= 60 and cal.business_days_between(notice_on, earlier) >= 7
                and cal.is_business_day(earlier))  # and it is the first such day


def test_the_late_charge_is_assessed_at_the_policys_steps_by_its_formula_with_a_stable_id():
    bill = uuid.uuid4()
    steps = [StepFacts(uuid.uuid4(), bill, s, Decimal("400.00"), Decimal("100.00"))
             for s in ("reminder", "first_notice", "second_notice")]
    pct = charges(LateCharge(percent=Decimal("1.5"), minimum=Decimal("5.00")), steps, DUE)
    assert [(c.step, c.amount, c.notice_id) for c in pct] == [
        ("second_notice", Decimal("6.00"), notice_id(bill, "second_notice"))]
    both = charges(LateCharge(method="current_and_prior", current_percent=Decimal("1"),
                              prior_percent=Decimal("10"), at_steps=("first_notice",)),
                   steps, DUE)
    assert [(c.step, c.amount) for c in both] == [("first_notice", Decimal("14.00"))]
    assert charges(LateCharge(method="flat", flat=Decimal("0.00")), steps, DUE) == []
    assert notice_id(bill, "second_notice") == notice_id(bill, "second_notice")


def test_interest_is_what_the_percentages_add_above_the_fee():
    pct = LateCharge(percent=Decimal("1.5"), minimum=Decimal("5.00"), maximum=Decimal("50.00"))
    assert interest_part(pct, Decimal("2000.00")) == Decimal("25.00")   # 30.00 - 5.00
    assert interest_part(pct, Decimal("100.00")) == Decimal("0.00")     # all of it the minimum
    assert interest_part(pct, Decimal("9000.00")) == Decimal("45.00")   # capped at 50.00
    assert interest_part(LateCharge(method="flat", flat=Decimal("10.00")),
                         Decimal("500.00")) == Decimal("0.00")
    mixed = LateCharge(method="current_and_prior", current_percent=Decimal("1"),
                       prior_percent=Decimal("10"), flat=Decimal("3.00"))
    assert interest_part(mixed, Decimal("400.00"), Decimal("400.00"),
                         Decimal("100.00")) == Decimal("14.00")


def test_a_household_uses_one_waiver_however_many_of_its_bills_step_that_day():
    poor, other = uuid.uuid4(), uuid.uuid4()
    rule = LateCharge(percent=Decimal("1.5"), minimum=Decimal("5.00"))
    steps = [StepFacts(poor, uuid.uuid4(), "second_notice", Decimal("2000.00"), Decimal("0")),
             StepFacts(poor, uuid.uuid4(), "second_notice", Decimal("1000.00"), Decimal("0")),
             StepFacts(other, uuid.uuid4(), "second_notice", Decimal("2000.00"), Decimal("0"))]
    made, waived = assess_steps(rule, steps, DUE, frozenset({poor}))
    assert [(c.account_id, c.amount, c.waived_interest) for c in made] == [
        (poor, Decimal("5.00"), Decimal("25.00")), (poor, Decimal("15.00"), Decimal("0.00")),
        (other, Decimal("30.00"), Decimal("0.00"))]
    assert waived == [poor]
    # a charge that is all interest is no charge, and the waiver is still used
    all_interest = LateCharge(percent=Decimal("1.5"))
    made, waived = assess_steps(all_interest, steps[:1], DUE, frozenset({poor}))
    assert (made, waived) == ([], [poor])


def test_a_reversal_takes_back_at_most_the_charge():
    assert reversal_amount(Decimal("5.00"), None) == Decimal("5.00")
    assert reversal_amount(Decimal("5.00"), Decimal("2.50")) == Decimal("2.50")
    for asked in (Decimal("5.01"), Decimal("0.00")):
        with pytest.raises(ValueError):
            reversal_amount(Decimal("5.00"), asked)
