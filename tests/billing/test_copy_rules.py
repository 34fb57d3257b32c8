"""Pure rules for judging reads on a copy that may be behind, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from services.billing.copy.domain import METER_FACTS, changed_facts
from services.billing.reads.domain import (
    AWAITING_COPY,
    CLEARED,
    Context,
    RaisedException,
    Thresholds,
    copy_gap,
    judge,
    reconcile,
)


def test_a_meter_billing_has_not_heard_of_or_not_installed_cannot_judge_a_read() -> None:
    assert copy_gap(None) == "billing has not heard of this meter yet"
    assert "installation" in (copy_gap("in_stock") or "")
    assert copy_gap("installed") is None
    assert copy_gap("removed") is None


def test_a_read_held_before_its_meter_was_known_is_checked_against_the_dials() -> None:
    ctx = Context(D(100), date(2026, 1, 1), 4, D(1), True)
    assert [c for c, _ in judge(D(10000), date(2026, 1, 31), ctx, Thresholds()).issues] == [
        "does_not_fit"]
    assert judge(D(112), date(2026, 1, 31), ctx, Thresholds()).usage == D(12)


def test_exceptions_the_copy_no_longer_raises_are_cleared_and_new_ones_opened() -> None:
    held = RaisedException(1, AWAITING_COPY, "open", None)
    clear, new = reconcile([held], [("use_on_inactive", "use of 12")])
    assert (clear, new) == ([1], [("use_on_inactive", "use of 12")])


def test_a_persons_resolution_stands_and_a_reread_in_the_field_is_left_alone() -> None:
    accepted = RaisedException(1, "high", "resolved", "accepted")
    reread = RaisedException(2, "low", "reread_ordered", None)
    assert reconcile([accepted, reread], [("high", "x"), ("low", "y")]) == ([], [])
    assert reconcile([accepted, reread], []) == ([], [])


def test_an_exception_the_copy_cleared_comes_back_when_the_copy_raises_it_again() -> None:
    cleared = RaisedException(1, "zero_use", "resolved", CLEARED)
    assert reconcile([cleared], [("zero_use", "none")]) == ([], [("zero_use", "none")])


def test_only_the_facts_reads_are_judged_on_count_as_a_change() -> None:
    class Row:
        status, installed_at, dials, multiplier = "installed", date(2026, 1, 1), 4, D("1.0000")

    same = {"status": "installed", "installed_at": date(2026, 1, 1), "dials": 4,
            "multiplier": D("1")}
    assert changed_facts(Row(), same, METER_FACTS) == []
    assert changed_facts(Row(), {**same, "multiplier": D(10)}, METER_FACTS) == ["multiplier"]
    assert changed_facts(None, same, METER_FACTS) == list(METER_FACTS)
