"""Closed accounts' and liens' pure rules: what comes next for a case, the agency's payments
file read line by line (every error listed), the referral file's columns, the certification."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.collections.closed import domain
from services.collections.liens import domain as liens
from services.collections.policy.domain import ClosedAccounts

D = Decimal
P = ClosedAccounts()


def test_a_case_waits_for_staff_on_an_offered_transfer_then_takes_the_letters_in_turn():
    opened = date(2026, 4, 5)
    assert domain.next_step(P, "transfer_offered", opened, None, None, False) == domain.Stage(
        "transfer_or_letter_1", date(2026, 4, 19))
    assert domain.next_step(P, "transfer_offered", opened, None, None, True) == domain.Stage(
        "letter_1", opened)
    assert domain.next_step(P, "letters", opened, opened, None, False) == domain.Stage(
        "letter_2", date(2026, 5, 5))
    assert domain.next_step(P, "letters", opened, opened, date(2026, 5, 5), False) == \
        domain.Stage("referral", date(2026, 6, 4))
    assert domain.next_step(P, "referred", opened, opened, opened, False).on is None
    assert domain.next_step(P, "written_off", opened, opened, opened, False).step == "ended"


def test_the_agencys_commission_is_rounded_half_up_to_the_cent():
    assert domain.commission(D("33.33"), D("25")) == D("8.33")
    assert domain.commission(D("0.10"), D("25")) == D("0.03")  # 0.025 -> 0.03


def test_the_payments_file_is_read_and_every_wrong_line_named():
    lines, errors = domain.parse_payments(
        "\ufeffAccount,Amount,Commission,Paid_On,Reference\n"
        "1000-0017,\"1,040.00\",,2026-07-01,R1\n"
        "10000025,$12.50,3.10,2026-07-02,R2\n"
        "\n"
        "10000025,0.00,,2026-07-02,R3\n"
        "10000025,5.00,,07/02/2026,R4\n"
        "10000025,5.00,,2026-07-02,R2\n"
        "10000025,5.00\n")
    assert [(x.line, x.account_number, x.amount, x.fee, x.reference) for x in lines] == [
        (2, "10000017", D("1040.00"), None, "R1"), (3, "10000025", D("12.50"), D("3.10"), "R2")]
    assert [e.line for e in errors] == [5, 6, 7, 8]
    assert "twice" in errors[2].message
    assert domain.fees(lines, D("25")) == [D("260.00"), D("3.10")]
    assert domain.parse_payments("account,amount\n1,2\n")[1][0].line == 1
    assert domain.payment_id("R1") == domain.payment_id("R1") != domain.payment_id("R2")


def test_the_referral_file_uses_the_accounts_mailing_address_else_the_customers():
    assert domain.mailing_of('{"line1": "PO Box 1"}', '{"line1": "9 Elm"}')["line1"] == \
        "PO Box 1"
    assert domain.mailing_of("{}", '{"line1": "9 Elm"}')["line1"] == "9 Elm"
    text = domain.referral_csv([domain.Referred(
        "10000017", "Rosa", {"line1": "PO Box 1", "city": "Town"}, ["+1530"], [], "es",
        D("90.00"), None, date(2026, 3, 1), date(2026, 6, 4))])
    assert text.splitlines() == [",".join(domain.REFERRAL_COLUMNS),
                                 "10000017,Rosa,PO Box 1,,Town,,,+1530,,es,90.00,,2026-03-01,"
                                 "2026-06-04"]


def test_the_certification_names_the_parcels_the_total_the_notice_and_the_roll():
    s = liens.certification("Tapline Water", "County of Sacramento", "General Manager", 2026,
                            2, D("1336.34"), date(2026, 7, 1), 30)
    assert "2 parcels, totalling $1,336.34" in s and "July 1, 2026" in s
    assert "at least 30 days" in s and "2026-27 secured property tax roll" in s
    text = liens.list_csv([liens.Listed("001", "1", "Ana", "1 Elm", D("0.10")),
                           liens.Listed("002", "2", "Ben", "", D("0.20"))], 2026)
    assert text.splitlines()[-1] == "TOTAL,2 parcels,,,0.30,2026"


def test_a_lien_takes_the_past_due_part_only_when_some_of_it_is_old_enough():
    # 150.00 due before the day, 100.00 of it 90 days old, 40.00 paid: 110.00 goes on the roll
    assert liens.delinquent(D("150.00"), D("100.00"), D("40.00"), D("100.00")) == D("110.00")
    # what is 90 days old is paid (credits pay the oldest first): not yet
    assert liens.delinquent(D("150.00"), D("100.00"), D("100.00"), D("10.00")) is None
    assert liens.delinquent(D("150.00"), D("100.00"), D("50.01"), D("100.00")) is None


def test_a_liens_amount_never_grows_with_later_bills_and_falls_with_payments():
    debits = [(date(2026, 1, 15), D("123.45")), (date(2026, 6, 10), D("40.00"))]
    as_of = date(2026, 6, 1)
    assert liens.owed(D("123.45"), as_of, debits, D("0.00")) == D("123.45")
    assert liens.owed(D("123.45"), as_of, debits, D("23.45")) == D("100.00")
    assert liens.owed(D("100.00"), as_of, debits, D("0.00")) == D("100.00")  # the listed part
    assert liens.owed(D("123.45"), as_of, debits, D("200.00")) == D("0.00")
