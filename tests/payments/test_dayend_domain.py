"""End-of-day rules without a database: who settles what, and how returns tie to billing's
reversals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from services.payments.dayend import domain
from services.payments.dayend.domain import LedgerEntry, Paid, Returned

DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def test_only_counter_and_mail_cash_checks_and_money_orders_go_in_our_deposit():
    assert domain.settled_by("counter", "cash") == "deposit"
    assert domain.settled_by("mail", "money_order") == "deposit"
    assert domain.settled_by("counter", "card") == "processor"
    assert domain.settled_by("lockbox", "check") == "lockbox"
    assert domain.settled_by("processor", "bank") == "processor"
    assert domain.settled_by("autopay", "bank") == "bank"
    assert domain.settled_by("text", "card") == "processor"  # a channel added later


def test_a_return_is_matched_by_its_id_and_one_billing_has_not_heard_of_is_missing():
    returned = [Returned("r-1", "p-1", Decimal("40.00"), "returned_check", NOW),
                Returned("r-2", "p-2", Decimal("12.00"), "ach_return",
                         NOW - timedelta(minutes=5))]
    ledger = [LedgerEntry("e-1", "payment_reversal", Decimal("40.00"), DAY, "r-1", NOW)]
    t = domain.tie_returns(DAY, returned, ledger, NOW)
    assert (t.matched.count, t.matched.total) == (1, Decimal("40.00"))
    assert (t.missing.count, t.missing.total) == (1, Decimal("12.00"))
    assert t.missing_items[0].reference == "r-2" and t.missing_items[0].waiting_seconds == 300
    assert not t.balanced


def test_a_payment_billing_dated_another_day_is_a_difference_not_a_match():
    paid = [Paid("p-1", 100001, "100027457", Decimal("10.00"), "mail", "check", NOW)]
    ledger = [LedgerEntry("e-1", "payment", Decimal("-10.00"), DAY + timedelta(days=1), "p-1",
                          NOW)]
    t = domain.tie_payments(DAY, paid, ledger, {}, NOW)
    assert t.matched.count == 0 and t.missing.count == 0
    assert [(d.kind, d.ledger_date) for d in t.differences] == [("date", DAY + timedelta(1))]
    assert t.ledger.count == 0  # nothing the ledger received is dated that day
