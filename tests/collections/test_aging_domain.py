"""Aging (pure): buckets on dated scenarios, credits applied oldest-first, and the same figures
as billing's ledger to the cent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.billing.ledger import domain as billing
from services.collections.aging.domain import BUCKETS, Entry, aging, in_billing_buckets

D = Decimal
TODAY = date(2026, 6, 30)


def bill(amount: str, due: date, posted: date | None = None) -> Entry:
    return Entry(D(amount), posted or due - timedelta(days=20), due)


def credit(amount: str, on: date = date(2026, 6, 1)) -> Entry:
    return Entry(-D(amount), on)


@pytest.mark.parametrize(("days_past_due", "expected"), [
    (-5, "current"), (0, "current"), (1, "days_1_30"), (30, "days_1_30"), (31, "days_31_60"),
    (60, "days_31_60"), (61, "days_61_90"), (90, "days_61_90"), (91, "days_91_120"),
    (120, "days_91_120"), (121, "days_over_120"), (400, "days_over_120"),
])
def test_a_bill_falls_in_the_bucket_of_its_days_past_due(days_past_due, expected):
    a = aging([bill("40.00", TODAY - timedelta(days=days_past_due))], TODAY)
    assert a.buckets[expected] == D("40.00")
    assert sum(a.buckets.values()) == D("40.00") and a.balance == D("40.00")
    assert a.days_past_due == max(0, days_past_due)


def test_a_payment_pays_the_oldest_bill_first_and_the_rest_ages_where_it_is():
    a = aging([bill("100.00", date(2026, 2, 15)), bill("80.00", date(2026, 4, 15)),
               bill("60.00", date(2026, 6, 15)), credit("130.00")], TODAY)
    assert a.buckets == {**dict.fromkeys(BUCKETS, D("0.00")),
                         "days_61_90": D("50.00"), "days_1_30": D("60.00")}
    assert (a.balance, a.past_due, a.unapplied_credit) == (D("110.00"), D("110.00"), D("0"))
    assert a.oldest_due == date(2026, 4, 15) and a.days_past_due == 76


def test_a_credit_larger_than_every_debit_is_left_unapplied():
    a = aging([bill("45.00", date(2026, 5, 1)), credit("60.00")], TODAY)
    assert sum(a.buckets.values()) == 0
    assert (a.unapplied_credit, a.balance, a.days_past_due) == (D("15.00"), D("-15.00"), 0)


def test_a_returned_payment_is_a_debit_aged_from_the_day_it_was_posted():
    a = aging([bill("50.00", date(2026, 6, 20)), credit("50.00", date(2026, 6, 21)),
               Entry(D("50.00"), date(2026, 6, 25))], TODAY)
    assert a.buckets["days_1_30"] == D("50.00") and a.balance == D("50.00")


def test_entries_posted_after_the_day_are_not_yet_on_the_account():
    entries = [bill("70.00", date(2026, 5, 31), date(2026, 5, 10)),
               credit("70.00", date(2026, 7, 2)), bill("30.00", date(2026, 7, 25),
                                                       date(2026, 7, 5))]
    june = aging(entries, TODAY)
    assert june.buckets["days_1_30"] == D("70.00") and june.balance == D("70.00")
    july = aging(entries, date(2026, 7, 31))
    assert july.buckets["days_1_30"] == D("30.00") and july.balance == D("30.00")


def test_the_order_entries_arrive_in_changes_nothing():
    entries = [bill("10.00", date(2026, 3, 1)), bill("20.00", date(2026, 3, 1)),
               bill("30.00", date(2026, 5, 1)), credit("25.00"), credit("1.50")]
    assert aging(entries, TODAY) == aging(list(reversed(entries)), TODAY)


money = st.decimals(min_value=D("-300.00"), max_value=D("300.00"), places=2).filter(bool)
days = st.integers(min_value=0, max_value=400)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(money, days, st.one_of(st.none(), days)), max_size=25),
       st.integers(min_value=0, max_value=200))
def test_collections_aging_equals_billing_s_to_the_cent(rows, extra_days):
    """For any ledger (bills with due dates, debits and credits without), collections' buckets
    summed into billing's five, its unapplied credit and its balance are billing's."""
    start = date(2025, 1, 1)
    entries = [Entry(amount, start + timedelta(days=p),
                     start + timedelta(days=due) if due is not None else None)
               for amount, p, due in rows]
    today = start + timedelta(days=400 + extra_days)  # every entry is posted by then
    ours = aging(entries, today)
    theirs, credit_left = billing.aging(
        [billing.Entry(e.amount, e.posted_on, e.due_date, i) for i, e in enumerate(entries)],
        today)
    assert in_billing_buckets(ours.buckets) == theirs
    assert ours.unapplied_credit == credit_left
    assert ours.balance == sum((e.amount for e in entries), D("0.00"))
