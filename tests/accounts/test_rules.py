"""Pure rules, no database: check digits, deposit policy, refund timing, backflow, queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.accounts.agreements.domain import default_services, stop_date_problem
from services.accounts.backflow.domain import is_overdue, next_due
from services.accounts.customers.domain import account_number, check_digit_ok, last4
from services.accounts.deposits.domain import (
    DepositPolicy,
    decide,
    due_for_refund,
    load_policy,
    months_before,
)
from services.accounts.meters.domain import read_fits_dials, size_ok
from services.accounts.search.domain import key_form, prefix_upper_bound, split_terms


def test_account_numbers_carry_a_luhn_check_digit_that_catches_one_wrong_digit():
    number = account_number(10000001)
    assert check_digit_ok(number)
    for i in range(9):
        wrong = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1:]
        assert not check_digit_ok(wrong)
    assert not check_digit_ok("12345")
    assert not check_digit_ok("abcdefghi")


def test_only_last_four_of_an_identity_number_are_kept():
    assert last4("A123-45-6789") == "6789"


def test_deposit_policy_decisions():
    p = DepositPolicy()
    kw = {"is_owner": False, "letter_of_credit": False, "good_history_elsewhere": False}
    assert decide(p, "single_family", **kw).amount == Decimal("100.00")
    assert decide(p, "commercial", **kw).amount == Decimal("250.00")
    assert decide(p, "fire", **kw).required is False
    assert decide(p, "single_family", **{**kw, "is_owner": True}).required is False
    assert decide(p, "single_family", **{**kw, "good_history_elsewhere": True}).required is False
    assert decide(p, "single_family", **kw, waive_reason="senior").reason == "waived: senior"


def test_deposit_policy_is_configurable_from_json():
    p = load_policy('{"amounts": {"single_family": "150"}, "waive_for_owner": false}')
    assert p.amounts["single_family"] == Decimal("150")
    assert decide(p, "single_family", is_owner=True, letter_of_credit=False,
                  good_history_elsewhere=False).amount == Decimal("150")


def test_deposit_due_after_twelve_months_without_marks():
    held = Decimal("100")
    assert due_for_refund(held, date(2025, 1, 10), None, date(2026, 1, 10))
    assert not due_for_refund(held, date(2025, 1, 10), None, date(2026, 1, 9))
    assert not due_for_refund(held, date(2025, 1, 10), date(2025, 6, 1), date(2026, 1, 10))
    assert due_for_refund(held, date(2025, 1, 10), date(2025, 6, 1), date(2026, 6, 1))
    assert not due_for_refund(Decimal("0"), date(2020, 1, 1), None, date(2026, 1, 1))
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_backflow_pass_is_good_for_a_year_and_fail_needs_retest_in_30_days():
    assert next_due(date(2026, 3, 2), "pass") == date(2027, 3, 2)
    assert next_due(date(2024, 2, 29), "pass") == date(2025, 2, 28)
    assert next_due(date(2026, 3, 2), "fail") == date(2026, 4, 1)
    assert is_overdue(date(2026, 1, 1), date(2026, 1, 2))


def test_service_defaults_and_stop_dates():
    assert default_services("single_family") == [("water", "RES-SF"), ("wastewater", "RES")]
    assert default_services("irrigation") == [("irrigation", "IRR")]
    assert stop_date_problem(date(2026, 2, 1), date(2026, 1, 31))
    assert stop_date_problem(date(2026, 2, 1), date(2026, 2, 1)) is None


def test_meter_sizes_and_reads():
    assert size_ok("1-1/2") and not size_ok("7/8")
    assert read_fits_dials(Decimal("999999"), 6) and not read_fits_dials(Decimal("1000000"), 6)


def test_search_terms_split_words_from_identifiers():
    assert split_terms("(559) 321-7788").identifiers == ["5593217788"]
    assert split_terms("1-559-321-7788").identifiers == ["5593217788"]
    t = split_terms("  Smith,  1234 Main St ")
    assert t.words == ["smith", "1234", "main", "st"] and t.identifiers == []
    t = split_terms("garcia TL-4001 555-010-12")
    assert t.words == ["garcia"] and t.identifiers == ["tl4001", "55501012"]
    assert split_terms("bquack@example").identifiers == ["bquack@example"]
    assert key_form("555-010-12") == "55501012"
    assert prefix_upper_bound("tl40") == "tl41"
