"""Payments' pure rules, without a database: amounts, tenders, counts, batches, sign-off."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.errors import Forbidden, Unprocessable
from services.payments.batches.domain import check_balanced
from services.payments.copy.domain import account_row, balance_of
from services.payments.copy.service import normalise_number
from services.payments.counter.domain import (
    check_sign_off,
    count_total,
    expected_cash,
    over_short,
)
from services.payments.posting.domain import is_token, money, tender


@pytest.mark.parametrize("amount", ["0", "-0.01", "1.005", "0.001", "NaN", "Infinity"])
def test_an_amount_is_above_zero_in_whole_cents(amount):
    with pytest.raises(Unprocessable):
        money(Decimal(amount))


def test_a_whole_amount_gains_its_cents():
    assert str(money(Decimal("12"))) == "12.00" and str(money(Decimal("1.50"))) == "1.50"


def test_processor_tokens_are_not_numbers():
    assert is_token("tok_1Nv0aB2eZvKYlo2C")
    assert is_token("pm_card_visa")
    for v in ("4242424242424241", "tok_4242424242424241", "acct-123456789", "tk", "_tok123",
              "tok_abcdef\n"):
        assert not is_token(v), v


def test_a_tender_keeps_only_its_own_details():
    t = tender("check", check_number=" 0042 ", bank=" Town Bank ")
    assert (t.kind, t.check_number, t.bank) == ("check", "0042", "Town Bank")
    with pytest.raises(Unprocessable) as e:
        tender("money_order", money_order_number="1", check_number="2")
    assert e.value.errors and e.value.errors[0].field == "check_number"
    with pytest.raises(Unprocessable):
        tender("check", check_number="1", bank="   ")


def test_a_count_adds_pieces_times_denomination_and_over_short_is_counted_minus_expected():
    counted = count_total({"20": 4, "5": 1, "0.25": 3, "0.01": 2})
    assert counted == Decimal("85.77")
    expected = expected_cash(Decimal("50.00"), [Decimal("30.00"), Decimal("5.75")])
    assert expected == Decimal("85.75")
    assert over_short(counted, expected) == Decimal("0.02")
    assert over_short(Decimal("80.00"), expected) == Decimal("-5.75")
    with pytest.raises(Unprocessable):
        count_total({"25": 1})


def test_nobody_signs_off_a_drawer_they_worked_or_closed():
    check_sign_off("sam", "carla", "carla")
    for cashier, closed_by in (("sam", "sam"), ("carla", "sam")):
        with pytest.raises(Forbidden):
            check_sign_off("sam", cashier, closed_by)


def test_a_batch_balances_only_when_count_and_total_both_match():
    check_balanced(Decimal("30.00"), 2, [Decimal("10.00"), Decimal("20.00")])
    with pytest.raises(Unprocessable) as e:
        check_balanced(Decimal("30.00"), 3, [Decimal("10.00"), Decimal("20.00")])
    assert e.value.extra["keyed_count"] == 2
    with pytest.raises(Unprocessable):
        check_balanced(Decimal("30.01"), 2, [Decimal("10.00"), Decimal("20.00")])


def test_account_numbers_are_checked_by_their_digit_with_or_without_the_dash():
    assert normalise_number("7992739-8") == "79927398"
    arabic_indic = "\u0667\u0669\u0669\u0662\u0667\u0663\u0669\u0668"
    for bad in ("79927393", "7992739x", "", "5", "7992739\u00b2", arabic_indic):
        with pytest.raises(Unprocessable):
            normalise_number(bad)


def test_cash_only_is_false_unless_the_event_says_true():
    row = account_row({"id": "a", "number": "7992739-8", "status": "active"})
    assert (row.number, row.cash_only, row.customer_id) == ("79927398", False, None)
    assert account_row({"id": "a", "number": "1", "cash_only": True}).cash_only is True
    assert account_row({"id": "a", "number": "1", "cash_only": "yes"}).cash_only is False
    assert balance_of({"balance": "12.30"}) == Decimal("12.30") and balance_of({}) is None
