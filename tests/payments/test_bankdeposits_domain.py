"""Which cash goes to the bank: counted less the float, the float left in the smallest pieces
(pure rules, no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kernel.errors import Forbidden, Unprocessable
from services.payments.bankdeposits import domain


def test_cash_deposited_is_counted_less_the_float_and_the_large_bills_go_to_the_bank():
    counts = {"50": 1, "20": 5, "10": 2, "5": 2, "1": 6, "0.25": 5}  # 187.25 counted
    split = domain.split_float(counts, Decimal("100.00"))
    assert split.deposit_total == Decimal("87.25")
    assert split.kept_total == Decimal("100.00")
    assert split.deposit == {"50": 1, "20": 1, "10": 1, "5": 1, "1": 2, "0.25": 1}
    # every piece counted is either in the bag or stays in the drawer
    for d in counts:
        assert split.deposit.get(d, 0) + split.kept.get(d, 0) == counts[d]


def test_the_float_is_left_exactly_even_when_largest_first_would_overshoot():
    # 0.30 to deposit from one quarter and three dimes: only the dimes make it
    split = domain.split_float({"0.25": 1, "0.10": 3, "1": 5}, Decimal("5.25"))
    assert (split.deposit, split.deposit_total) == ({"0.10": 3}, Decimal("0.30"))


def test_a_count_that_cannot_leave_the_float_exactly_is_refused_naming_the_drawer():
    with pytest.raises(Unprocessable, match="drawer D-1"):
        domain.split_float({"20": 6}, Decimal("105.00"), "drawer D-1")


def test_the_preparer_may_say_which_pieces_stay_but_not_more_than_were_counted():
    split = domain.split_given({"20": 6}, {"20": 5})
    assert (split.deposit, split.deposit_total, split.kept_total) == (
        {"20": 1}, Decimal("20.00"), Decimal("100.00"))
    with pytest.raises(Unprocessable, match="cannot keep 7"):
        domain.split_given({"20": 6}, {"20": 7})


def test_a_drawer_counted_at_or_below_its_float_deposits_no_cash():
    split = domain.split_float({"20": 4, "10": 1}, Decimal("100.00"))
    assert (split.deposit, split.deposit_total, split.kept_total) == ({}, 0, Decimal("90.00"))


def test_a_large_count_is_split_quickly_and_exactly():
    counts = {d: 997 for d in domain.DENOMINATIONS}
    split = domain.split_float(counts, Decimal("123.47"))
    assert split.kept_total == Decimal("123.47")
    assert split.deposit_total == domain.pieces_total(counts) - Decimal("123.47")


def test_nobody_signs_off_a_deposit_they_prepared_or_that_holds_their_drawer():
    with pytest.raises(Forbidden):
        domain.check_sign_off("sam", "sam", ["carla"])
    with pytest.raises(Forbidden):
        domain.check_sign_off("sam", "tina", ["carla", "sam"])
    domain.check_sign_off("sue", "tina", ["carla"])
