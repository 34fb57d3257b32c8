"""The call list's pure rules: what a call may carry, and when a promise is kept or broken."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.collections.worklists import domain
from services.collections.worklists.domain import CallError, Credit, PromiseTerms

D = Decimal
MADE, ON = date(2026, 2, 5), date(2026, 2, 12)


def test_credits_from_the_day_made_to_the_promised_day_count_less_returns():
    credits = [Credit(D("-40.00"), "payment", date(2026, 2, 4)),            # before: no
               Credit(D("-60.00"), "payment", MADE),                         # the day made
               Credit(D("-50.00"), "adjustment", date(2026, 2, 9)),          # a credit too
               Credit(D("60.00"), "payment_reversal", date(2026, 2, 10)),    # returned
               Credit(D("25.00"), "late_charge", date(2026, 2, 10)),         # a debit: no
               Credit(D("-90.00"), "payment", date(2026, 2, 13))]            # too late
    assert domain.covered(credits, MADE, ON, date(2026, 2, 20)) == D("50.00")
    assert domain.covered(credits, MADE, ON, date(2026, 2, 9)) == D("110.00")


def test_kept_when_covered_broken_only_after_its_day():
    assert domain.promise_status(D("100.00"), D("100.00"), ON, ON) == "kept"
    assert domain.promise_status(D("100.00"), D("99.99"), ON, ON) == "open"
    assert domain.promise_status(D("100.00"), D("99.99"), ON, date(2026, 2, 13)) == "broken"


def test_a_call_carries_a_promise_only_when_one_was_made():
    domain.checked_call("promise_made", PromiseTerms(ON, D("10.00")), MADE)
    domain.checked_call("no_answer", None, MADE)
    for outcome, terms, field in [
            ("promise_made", None, "promise"),
            ("reached", PromiseTerms(ON, D("10.00")), "promise"),
            ("promise_made", PromiseTerms(date(2026, 2, 4), D("10.00")), "promise.promised_on"),
            ("promise_made", PromiseTerms(date(2026, 3, 8), D("10.00")), "promise.promised_on"),
            ("promise_made", PromiseTerms(ON, D("0.00")), "promise.amount"),
            ("hung_up", None, "outcome")]:
        with pytest.raises(CallError) as e:
            domain.checked_call(outcome, terms, MADE)
        assert e.value.field == field
    domain.checked_call("promise_made", PromiseTerms(date(2026, 3, 7), D("10.00")), MADE)
