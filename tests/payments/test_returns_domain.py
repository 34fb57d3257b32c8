"""The rules of returned payments and cash-only, without a database ("today" a parameter)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kernel.errors import Conflict, Unprocessable
from services.payments.returns.domain import (
    ManualFlag,
    Returnable,
    Rules,
    add_months,
    check_returnable,
    check_returned_on,
    fee,
    from_returns,
    return_code,
    state_on,
)

RULES = Rules(threshold=2, window_months=12, period_months=12)
NONE = ManualFlag(None, None, None)


def test_months_are_added_on_the_calendar_clamped_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), -13) == date(2025, 10, 15)
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)


def test_the_second_return_within_twelve_months_holds_the_account_for_twelve_months() -> None:
    dates = [date(2026, 1, 10), date(2026, 9, 3)]
    held = state_on(date(2026, 9, 3), dates, NONE, RULES)
    assert (held.cash_only, held.reason, held.since, held.until, held.returns_in_window) == (
        True, "returns", date(2026, 9, 3), date(2027, 9, 3), 2)
    assert state_on(date(2027, 9, 2), dates, NONE, RULES).cash_only is True
    lapsed = state_on(date(2027, 9, 3), dates, NONE, RULES)
    assert (lapsed.cash_only, lapsed.returns_in_window) == (False, 0)


def test_a_return_thirteen_months_after_the_first_does_not_count_with_it() -> None:
    dates = [date(2025, 8, 3), date(2026, 9, 3)]
    assert from_returns(dates, RULES, None) is None
    assert state_on(date(2026, 9, 3), dates, NONE, RULES).returns_in_window == 1
    # exactly twelve months apart is outside "within twelve months"
    assert from_returns([date(2025, 9, 3), date(2026, 9, 3)], RULES, None) is None


def test_returns_recorded_out_of_order_decide_the_same() -> None:
    a = [date(2026, 3, 1), date(2026, 5, 1), date(2024, 1, 1)]
    assert from_returns(a, RULES, None) == from_returns(sorted(a), RULES, None)


def test_the_threshold_and_periods_are_configurable() -> None:
    three = Rules(threshold=3, window_months=6, period_months=3)
    dates = [date(2026, 1, 1), date(2026, 2, 1)]
    assert from_returns(dates, three, None) is None
    held = from_returns([*dates, date(2026, 6, 30)], three, None)
    assert held is not None and (held.since, held.until) == (date(2026, 6, 30),
                                                             date(2026, 9, 30))


def test_a_supervisor_s_clear_forgives_the_returns_up_to_it_and_a_flag_wins() -> None:
    dates = [date(2026, 1, 10), date(2026, 2, 10)]
    cleared = ManualFlag("cleared", None, date(2026, 2, 15))
    assert state_on(date(2026, 3, 1), dates, cleared, RULES).cash_only is False
    assert state_on(date(2026, 4, 1), [*dates, date(2026, 4, 1)], cleared,
                    RULES).cash_only is False
    manual = state_on(date(2026, 3, 1), [], ManualFlag("set", date(2026, 6, 1), None), RULES,
                      since_manual=date(2026, 2, 20))
    assert (manual.cash_only, manual.reason, manual.since, manual.until) == (
        True, "manual", date(2026, 2, 20), date(2026, 6, 1))
    assert state_on(date(2026, 6, 1), [], ManualFlag("set", date(2026, 6, 1), None),
                    RULES).cash_only is False


def test_the_fee_is_the_configured_amount_unless_waived_or_disabled() -> None:
    assert fee(Decimal("25"), True) == Decimal("25.00")
    assert fee(Decimal("25.00"), False) is None
    assert fee(Decimal("0"), True) is None


@pytest.mark.parametrize(("tender", "channel", "reason", "refused"), [
    ("cash", "counter", "returned_check", "Cash cannot be returned"),
    ("card", "counter", "returned_check", "processor's webhooks"),
    ("bank", "processor", "ach_return", "processor's webhooks"),
    ("bank", "counter", "returned_check", "processor's webhooks"),
    ("check", "counter", "ach_return", "ACH return"),
    ("bank", "autopay", "returned_check", "returned check"),
])
def test_only_checks_money_orders_and_autopay_debits_come_back_here(
        tender: str, channel: str, reason: str, refused: str) -> None:
    with pytest.raises(Unprocessable, match=refused):
        check_returnable(Returnable(tender, channel, "posted", date(2026, 1, 1)), reason)


def test_posted_checks_money_orders_and_autopay_debits_are_returnable() -> None:
    for tender, channel, reason in (("check", "lockbox", "returned_check"),
                                    ("money_order", "mail", "returned_check"),
                                    ("bank", "autopay", "ach_return")):
        check_returnable(Returnable(tender, channel, "posted", date(2026, 1, 1)), reason)
    with pytest.raises(Conflict):
        check_returnable(Returnable("check", "mail", "keyed", date(2026, 1, 1)),
                         "returned_check")


def test_the_bank_s_reason_and_date_are_checked() -> None:
    assert return_code("returned_check", " nsf ", None) == "NSF"
    assert return_code("ach_return", "r01", None) == "R01"
    for reason, code, note in (("returned_check", None, None), ("returned_check", "R01", None),
                               ("ach_return", "NSF", None), ("returned_check", "OTHER", " ")):
        with pytest.raises(Unprocessable):
            return_code(reason, code, note)
    check_returned_on(date(2026, 5, 2), date(2026, 5, 1), date(2026, 5, 2))
    with pytest.raises(Unprocessable, match="future"):
        check_returned_on(date(2026, 5, 3), date(2026, 5, 1), date(2026, 5, 2))
    with pytest.raises(Unprocessable, match="before"):
        check_returned_on(date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 2))
