"""Pure billing rules, to the cent, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from kernel.checkdigit import is_valid, luhn_digit
from services.billing.bills.domain import stub_number
from services.billing.ledger.domain import Entry, aging
from services.billing.rates.domain import (
    Block,
    segments,
    split_use,
    tier_lines,
    validate_blocks,
    winter_quantity,
)
from services.billing.reads.domain import (
    Context,
    Thresholds,
    estimate_value,
    evaluate,
    parse_handheld,
    usage_between,
)
from services.billing.runs.domain import approval_refusal, transition

RES = [Block(1, D(10), D("3.00")), Block(2, D(10), D("4.00")), Block(3, None, D("5.50"))]


@pytest.mark.parametrize(("use", "amounts"), [
    (D(0), []),
    (D(10), [D("30.00")]),
    (D("10.0001"), [D("30.00"), D("0.00")]),
    (D(20), [D("30.00"), D("40.00")]),
    (D(21), [D("30.00"), D("40.00"), D("5.50")]),
])
def test_tier_edges_fill_each_block_before_the_next(use, amounts):
    assert [t.amount for t in tier_lines(use, RES)] == amounts


def test_multi_family_tier_widths_scale_with_dwelling_units():
    blocks = [Block(1, D(5), D("3.00")), Block(2, None, D("4.00"))]
    lines = tier_lines(D(30), blocks, units=4)  # 4 units: tier 1 is 20
    assert [(t.quantity, t.amount) for t in lines] == [(D(20), D("60.00")), (D(10), D("40.00"))]


def test_period_spanning_a_rate_change_is_split_by_days():
    segs = segments(date(2026, 1, 1), date(2026, 1, 31),
                    [(date(2025, 7, 1), "old"), (date(2026, 1, 21), "new")])
    assert [(s.version, s.days) for s in segs] == [("old", 20), ("new", 11)]
    parts = split_use(D(31), [20, 11])
    assert parts == [D(20), D(11)] and sum(parts) == D(31)
    assert sum(split_use(D(10), [1, 1, 1])) == D(10)


def test_winter_average_wastewater_is_capped():
    assert winter_quantity(D("0.3"), D(99), 30, D(15), 30) == D("9.0000")
    assert winter_quantity(D("1"), D(99), 30, D(15), 30) == D("15.0000")
    assert winter_quantity(None, D(12), 30, D(15), 30) == D(12)


def test_block_lists_must_end_open_and_have_positive_widths():
    assert validate_blocks([Block(1, D(5), D(1))]) is not None
    assert validate_blocks([Block(1, None, D(1)), Block(2, None, D(1))]) is not None
    assert validate_blocks([Block(1, D(-1), D(1)), Block(2, None, D(1))]) is not None
    assert validate_blocks(RES) is None


def test_register_rollover_counts_use_across_zero():
    assert usage_between(D(9990), D(12), 4) == (D(22), True)
    assert usage_between(D(5000), D(4000), 4) == (None, False)


def _ctx(**kw):
    base = dict(prev_value=D(100), prev_on=date(2026, 1, 1), dials=4, multiplier=D(1),
                sa_active=True, prior_per_day=D(1), last_year_per_day=None, avg_per_day=D(1))
    base.update(kw)
    return Context(**base)


def test_validation_flags_high_zero_and_inactive_use():
    th = Thresholds()
    assert [c for c, _ in evaluate(D(200), date(2026, 1, 31), _ctx(), th).issues] == ["high"]
    assert [c for c, _ in evaluate(D(100), date(2026, 1, 31), _ctx(), th).issues] == ["zero_use"]
    ev = evaluate(D(130), date(2026, 1, 31), _ctx(sa_active=False), th)
    assert [c for c, _ in ev.issues] == ["use_on_inactive"]
    assert evaluate(D(130), date(2026, 1, 31), _ctx(), th).issues == []
    low = evaluate(D(103), date(2026, 1, 31), _ctx(), th)
    assert [c for c, _ in low.issues] == ["low"]


def test_estimate_is_average_daily_use_times_days():
    value, use = estimate_value(_ctx(avg_per_day=D("0.5")), date(2026, 1, 31))
    assert (value, use) == (D(115), D(15))


def test_bad_rows_are_reported_with_their_line_numbers():
    content = ("meter_serial,read_date,reading\nA1,2026-01-31,10\nA2,not-a-date,5\n"
               "A3,2026-01-31,-1\nA4,2026-01-31\nA5,2099-01-01,1\nA6,2026-01-31,abc\n")
    good, bad = parse_handheld(content, date(2026, 2, 1))
    assert [g.serial for g in good] == ["A1"]
    assert sorted(e.line for e in bad) == [3, 4, 5, 6, 7]


def test_account_number_check_digit_is_luhn():
    assert luhn_digit("7992739871") == 3
    assert is_valid("79927398713")


def test_the_stub_prints_the_account_number_itself_with_its_check_digit_apart():
    # Accounts issues 9-digit numbers whose last digit is the check digit (e.g. 100027457);
    # the stub must show that same number so the lockbox reads back a valid account.
    assert is_valid("100027457")
    assert stub_number("100027457") == "10002745-7"


def test_payments_apply_to_the_oldest_debt_first():
    es = [Entry(D("100.00"), date(2026, 1, 1), date(2026, 1, 21), 1),
          Entry(D("80.00"), date(2026, 2, 1), date(2026, 2, 21), 2),
          Entry(D("-120.00"), date(2026, 2, 10), None, 3)]
    buckets, credit = aging(es, date(2026, 3, 1))
    assert credit == 0
    assert buckets["days_1_30"] == D("60.00") and sum(buckets.values()) == D("60.00")


def test_nobody_approves_a_run_they_prepared():
    assert approval_refusal("sam", "sam", "tina") is not None
    assert approval_refusal("sam", "tina", "tina") is None
    assert transition("approve", "preview") is None
    assert transition("finalise", "approved") == "finalised"
