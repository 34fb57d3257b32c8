"""Text-to-pay's pure rules: what PAY may charge, what a text is read as, codes, statuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kernel.sms import classify
from services.payments.texttopay import domain
from services.payments.texttopay.domain import Intent, PayVerdict, Quote, Voice

D = date(2026, 12, 1)
Q = Quote(Decimal("50.00"), date(2026, 12, 4), None)


@pytest.mark.parametrize(("quote", "today", "balance", "verdict"), [
    (Q, D, Decimal("50.00"), PayVerdict.CHARGE),
    (Q, date(2026, 12, 4), Decimal("75.00"), PayVerdict.CHARGE),  # last valid day, more owed
    (Q, date(2026, 12, 5), Decimal("50.00"), PayVerdict.EXPIRED),
    (Q, D, Decimal("0.00"), PayVerdict.PAID),
    (Q, D, Decimal("-3.00"), PayVerdict.PAID),
    (Q, D, None, PayVerdict.PAID),
    (Q, D, Decimal("49.99"), PayVerdict.BALANCE_CHANGED),
    (None, D, Decimal("50.00"), PayVerdict.NO_QUOTE),
    (Quote(Q.amount, Q.valid_through, "succeeded"), D, Decimal("50.00"),
     PayVerdict.ALREADY_CHARGED),
    (Quote(Q.amount, Q.valid_through, "processing"), date(2027, 1, 1), Decimal("50.00"),
     PayVerdict.ALREADY_CHARGED),
    (Quote(Q.amount, Q.valid_through, "failed"), D, Decimal("50.00"), PayVerdict.DECLINED),
])
def test_pay_charges_only_a_valid_uncharged_quote_the_account_still_owes(quote, today, balance,
                                                                          verdict):
    assert domain.judge_pay(quote, today, balance) is verdict


def test_pay_for_a_closed_account_charges_nothing():
    assert domain.judge_pay(Q, D, Decimal("50.00"), account_open=False) is PayVerdict.CLOSED


@pytest.mark.parametrize(("words", "intent"), [
    ("PAY", Intent.PAY), (" pay. ", Intent.PAY), ("yes", Intent.YES), ("Y", Intent.YES),
    ("STOP", Intent.STOP), ("quit", Intent.STOP), ("help", Intent.HELP),
    ("start", Intent.START), ("pay 20", Intent.OTHER), ("yes please", Intent.OTHER)])
def test_a_text_is_read_as_one_intent(words, intent):
    assert domain.intent(classify(words)) is intent


def test_a_code_is_six_digits_kept_only_as_a_hash_bound_to_its_enrolment():
    code = domain.new_code()
    assert len(code) == 6 and code.isdigit()
    stored = domain.code_hash("e1", code)
    assert code not in stored
    assert domain.code_matches("e1", code, stored)
    assert not domain.code_matches("e2", code, stored)


def test_delivery_statuses_only_move_forward():
    assert domain.status_moves("queued", "sent")
    assert domain.status_moves("sent", "delivered")
    assert not domain.status_moves("delivered", "sent")
    assert not domain.status_moves("failed", "delivered")


def test_the_balance_text_names_the_amount_due_date_and_method_but_not_the_account_number():
    body = domain.balance_text(Voice("Tapline Demo Water District", "(555) 010-0100"),
                               "100027457", Decimal("1234.5"), date(2026, 3, 1),
                               "visa •••• 4242")
    assert "$1,234.50, due Mar 1" in body
    assert "Reply PAY to pay $1,234.50 with visa ••4242" in body
    assert "••7457" in body and "100027457" not in body
