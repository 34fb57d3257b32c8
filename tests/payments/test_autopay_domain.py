"""Autopay rules: the amount decided when the debit is made, banking days, prenotes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.payments.autopay.domain import (
    PRENOTE_WAIT_BANKING_DAYS,
    BankingCalendar,
    NoDebitReason,
    debit_amount,
    earliest_live_debit,
    first_possible_settlement,
    needs_prenote,
    schedule_debit,
)

CAL = BankingCalendar()
D = Decimal


# --- the amount --------------------------------------------------------------------------------

def test_the_debit_is_the_balance_due_now_not_the_stale_bill_amount() -> None:
    # Bill of 84.17; the customer paid 30.00 at the counter before the debit was created.
    assert debit_amount(balance_due=D("54.17")).amount == D("54.17")


def test_an_adjustment_since_the_bill_lowers_the_debit() -> None:
    # Bill of 84.17 with a 20.00 leak credit posted after it.
    assert debit_amount(balance_due=D("84.17") - D("20.00")).amount == D("64.17")


@pytest.mark.parametrize("balance", ["0.00", "-12.40"])
def test_nothing_is_debited_when_nothing_is_due(balance: str) -> None:
    result = debit_amount(balance_due=D(balance))
    assert result.amount is None and result.reason is NoDebitReason.NOTHING_DUE


def test_a_budget_billed_account_pays_its_budget_amount_not_its_balance() -> None:
    # The deficit that budget billing carries until settle-up is not debited monthly.
    assert debit_amount(balance_due=D("310.00"), budget_amount=D("95.00")).amount == D("95.00")


def test_a_budget_payment_made_since_the_bill_counts_toward_the_month() -> None:
    result = debit_amount(balance_due=D("290.00"), budget_amount=D("95.00"),
                          paid_since_bill=D("20.00"))
    assert result.amount == D("75.00")
    paid_in_full = debit_amount(balance_due=D("215.00"), budget_amount=D("95.00"),
                                paid_since_bill=D("95.00"))
    assert paid_in_full.amount is None and paid_in_full.reason is NoDebitReason.NOTHING_DUE


def test_a_budget_debit_never_exceeds_what_the_account_owes() -> None:
    assert debit_amount(balance_due=D("40.00"), budget_amount=D("95.00")).amount == D("40.00")


def test_over_the_customers_limit_nothing_is_debited_and_the_reason_is_kept() -> None:
    result = debit_amount(balance_due=D("612.80"), limit=D("250.00"))
    assert result.amount is None and result.reason is NoDebitReason.OVER_LIMIT
    assert debit_amount(balance_due=D("250.00"), limit=D("250.00")).amount == D("250.00")


def test_the_amount_is_whole_cents() -> None:
    amount = debit_amount(balance_due=D("10.005")).amount
    assert amount == D("10.01") and amount is not None and amount.as_tuple().exponent == -2


def test_money_is_never_a_float() -> None:
    with pytest.raises(TypeError):
        debit_amount(balance_due=54.17)  # type: ignore[arg-type]


# --- banking days ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 11, 26), False),  # Thanksgiving
        (date(2026, 11, 27), True),  # the Friday after: the Federal Reserve is open
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 1, 19), False),  # Martin Luther King Jr. Day
        (date(2026, 10, 12), False),  # Columbus Day: banks closed, though many offices open
        (date(2026, 11, 11), False),  # Veterans Day
        (date(2026, 6, 19), False),  # Juneteenth
        (date(2026, 7, 3), True),  # July 4 falls on Saturday: the Friday before stays open
        (date(2027, 7, 5), False),  # July 4 on Sunday: observed Monday
        (date(2026, 12, 24), True),
    ],
)
def test_banking_days_follow_the_federal_reserve_calendar(day: date, open_: bool) -> None:
    assert CAL.is_banking_day(day) is open_


def test_banking_days_are_counted_over_weekends_and_holidays() -> None:
    assert CAL.add_banking_days(date(2026, 11, 25), 1) == date(2026, 11, 27)
    assert CAL.add_banking_days(date(2026, 12, 23), 2) == date(2026, 12, 28)
    assert CAL.previous_banking_day(date(2026, 11, 30)) == date(2026, 11, 27)


# --- scheduling --------------------------------------------------------------------------------

def test_a_debit_settles_on_the_due_date_and_the_file_goes_the_banking_day_before() -> None:
    s = schedule_debit(due_date=date(2026, 12, 15), today=date(2026, 12, 1), calendar=CAL)
    assert s.settlement_date == date(2026, 12, 15)
    assert s.send_on == date(2026, 12, 14)
    assert not s.after_due_date


@pytest.mark.parametrize(
    ("due", "settles", "sent"),
    [
        (date(2026, 11, 29), date(2026, 11, 27), date(2026, 11, 25)),  # Sunday; Thanksgiving
        (date(2026, 12, 25), date(2026, 12, 24), date(2026, 12, 23)),  # Christmas
        (date(2026, 1, 19), date(2026, 1, 16), date(2026, 1, 15)),  # MLK Day
        (date(2026, 7, 4), date(2026, 7, 3), date(2026, 7, 2)),  # Saturday holiday
    ],
)
def test_a_due_date_on_a_closed_day_settles_the_banking_day_before_so_autopay_is_never_late(
    due: date, settles: date, sent: date,
) -> None:
    s = schedule_debit(due_date=due, today=date(2025, 12, 1), calendar=CAL)
    assert (s.settlement_date, s.send_on, s.after_due_date) == (settles, sent, False)


def test_a_bill_due_tomorrow_settles_tomorrow_and_one_due_today_is_late() -> None:
    tomorrow = schedule_debit(due_date=date(2026, 12, 2), today=date(2026, 12, 1), calendar=CAL)
    assert tomorrow.settlement_date == date(2026, 12, 2) and not tomorrow.after_due_date
    today = schedule_debit(due_date=date(2026, 12, 1), today=date(2026, 12, 1), calendar=CAL)
    assert today.settlement_date == date(2026, 12, 2) and today.after_due_date


def test_a_file_made_on_a_saturday_goes_monday_and_settles_tuesday() -> None:
    assert first_possible_settlement(date(2026, 11, 28), CAL) == date(2026, 12, 1)


# --- prenotes ----------------------------------------------------------------------------------

def test_a_new_bank_account_is_prenoted_and_a_proven_one_is_not() -> None:
    assert needs_prenote(prenote_sent_on=None)
    assert not needs_prenote(prenote_sent_on=date(2026, 11, 2))


def test_a_bank_account_changed_by_the_customer_or_a_notice_of_change_is_prenoted_again() -> None:
    assert needs_prenote(prenote_sent_on=date(2026, 11, 2), bank_details_changed_since_prenote=True)


def test_live_debits_wait_three_banking_days_after_the_prenote_settles() -> None:
    assert PRENOTE_WAIT_BANKING_DAYS == 3
    # Prenote settles Monday 23 Nov 2026; Thanksgiving does not count.
    assert earliest_live_debit(date(2026, 11, 23), CAL) == date(2026, 11, 27)


def test_a_first_debit_inside_the_prenote_wait_moves_past_the_due_date_and_says_so() -> None:
    wait = earliest_live_debit(date(2026, 11, 23), CAL)
    s = schedule_debit(due_date=date(2026, 11, 25), today=date(2026, 11, 20), calendar=CAL,
                       not_before=wait)
    assert s.settlement_date == date(2026, 11, 27)
    assert s.send_on == date(2026, 11, 25)
    assert s.after_due_date


def test_a_prenote_wait_ending_on_a_closed_day_moves_to_the_next_banking_day() -> None:
    s = schedule_debit(due_date=date(2026, 11, 20), today=date(2026, 11, 1), calendar=CAL,
                       not_before=date(2026, 11, 26))
    assert s.settlement_date == date(2026, 11, 27)
