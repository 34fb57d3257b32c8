"""A scheduled debit looked at again when the money is about to move (pure rules)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.payments.autopay.domain import (
    BankingCalendar,
    Verdict,
    live_debits_from,
    review_debit,
)

D = Decimal
SETTLES = date(2026, 12, 15)


def review(**kw: object) -> tuple[Verdict, Decimal | None, str | None]:
    args: dict[str, object] = {"scheduled": D("80.00"), "enrolment_active": True,
                               "bill_open": True, "balance": D("80.00")}
    args.update(kw)
    r = review_debit(**args)  # type: ignore[arg-type]
    return r.verdict, r.amount, r.reason


def test_a_debit_goes_for_what_the_customer_was_told_when_nothing_changed() -> None:
    assert review() == (Verdict.SEND, D("80.00"), None)


def test_a_payment_since_lowers_it_and_never_raises_it() -> None:
    assert review(balance=D("30.00")) == (Verdict.SEND, D("30.00"), None)
    assert review(balance=D("95.00")) == (Verdict.SEND, D("80.00"), None)  # a late charge since


def test_a_paid_or_cancelled_bill_or_ended_enrolment_drops_it() -> None:
    assert review(balance=D("0.00"))[::2] == (Verdict.DROP, "nothing_due")
    assert review(balance=D("-12.00"))[::2] == (Verdict.DROP, "nothing_due")
    assert review(bill_open=False)[::2] == (Verdict.DROP, "bill_cancelled")
    assert review(enrolment_active=False)[::2] == (Verdict.DROP, "enrolment_cancelled")
    assert review(cash_only=True)[::2] == (Verdict.DROP, "cash_only")


def test_another_debit_of_the_account_still_scheduled_is_not_taken_twice() -> None:
    assert review(balance=D("100.00"), other_scheduled=D("80.00")) == (
        Verdict.SEND, D("20.00"), None)


def test_a_bank_debit_waits_for_its_prenote_to_age() -> None:
    waiting = review(settles_on=SETTLES, prenote_required=True, live_from=date(2026, 12, 16))
    assert waiting[::2] == (Verdict.HOLD, "prenote_waiting")
    unsent = review(settles_on=SETTLES, prenote_required=True, live_from=None)
    assert unsent[::2] == (Verdict.HOLD, "prenote_waiting")
    aged = review(settles_on=SETTLES, prenote_required=True, live_from=SETTLES)
    assert aged[0] is Verdict.SEND


def test_before_the_prenote_is_sent_its_wait_is_counted_from_the_next_file() -> None:
    cal = BankingCalendar()
    # Wednesday 25 Nov 2026: the file settles Friday 27 (Thanksgiving is the 26th), then three
    # banking days: Mon 30, Tue 1, Wed 2.
    assert live_debits_from(live_from=None, prenote_required=True, today=date(2026, 11, 25),
                            calendar=cal) == date(2026, 12, 2)
    assert live_debits_from(live_from=None, prenote_required=False, today=date(2026, 11, 25),
                            calendar=cal) is None
