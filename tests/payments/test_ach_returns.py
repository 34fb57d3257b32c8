"""ACH returns and notifications of change: read from the bank's NACHA file, then classified.

The files here are not made by our own writer: one is built with achkit (PyPI), two are
moov-io/ach's test files (tests/payments/data/moov/).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import achkit
import pytest

from kernel.bankaccount import AccountType
from services.payments.autopay.returns import (
    MAX_REPRESENTMENTS,
    ChangeNotice,
    ReturnAction,
    ReturnFileError,
    apply_change,
    classify_return,
    corrected_data,
    never_present_again,
    parse_return_file,
)

MOOV = Path(__file__).parent / "data" / "moov"
BANK = "122000247"
WELLS_FARGO_CA = "121042882"
BOFA_CA = "121000358"


def return_addenda(code: str, original_trace: str, rdfi: str, info: str = "",
                   died: str = "") -> str:
    """The 99 addenda's fields after its type code, up to the return's own trace number."""
    return code + original_trace.ljust(15) + died.ljust(6) + rdfi[:8] + info.ljust(44)


def achkit_return_file() -> str:
    """A return file laid out, counted, hashed and padded by achkit.

    achkit writes addenda type 05 only, so each addenda's type code is set to 99 afterwards; the
    fields after it are the 99 layout (reason, original trace, date of death, RDFI, information).
    """
    f = achkit.AchFile.create(origin_dfi=BANK, company_id="1953123456",
                              origin_name="DEMO WATER DIST", destination_name="WELLS FARGO")
    b = f.batch(sec="PPD", description="WATER BILL", effective_date="2026-12-01")
    b.debit(name="Maria Lopez", routing=WELLS_FARGO_CA, account="000123456789",
            amount_cents=8417, id_number="100027457",
            addenda=return_addenda("R01", "122000240000001", WELLS_FARGO_CA))
    b.debit(name="Chen Family Trust", routing=BOFA_CA, account="9876543", account_type="savings",
            amount_cents=120450, id_number="100031226",
            addenda=return_addenda("R02", "122000240000002", BOFA_CA, "ACCOUNT CLOSED 11/20"))
    b.debit(name="Estate of R Diaz", routing=WELLS_FARGO_CA, account="55501234",
            amount_cents=3000, id_number="100044890",
            addenda=return_addenda("R15", "122000240000003", WELLS_FARGO_CA, died="261115"))
    text = f.render()
    assert achkit.validate(text)["ok"]
    return "\n".join("799" + r[3:] if r.startswith("705") else r for r in text.split("\n"))


def test_returns_in_an_independently_built_file_are_read_with_amount_and_original_trace() -> None:
    parsed = parse_return_file(achkit_return_file().encode("ascii"))
    assert parsed.changes == ()
    nsf, closed, deceased = parsed.returns
    assert (nsf.return_code, nsf.original_trace, nsf.amount) == (
        "R01", "122000240000001", Decimal("84.17"))
    assert (nsf.individual_id, nsf.individual_name) == ("100027457", "MARIA LOPEZ")
    assert nsf.original_rdfi == WELLS_FARGO_CA[:8]
    assert nsf.transaction_code == 27
    assert (closed.return_code, closed.amount) == ("R02", Decimal("1204.50"))
    assert closed.transaction_code == 37
    assert closed.addenda_information == "ACCOUNT CLOSED 11/20"
    assert deceased.date_of_death == date(2026, 11, 15)
    assert nsf.date_of_death is None
    assert all(isinstance(r.amount, Decimal) for r in parsed.returns)


def test_a_return_file_from_another_implementation_is_read() -> None:
    parsed = parse_return_file((MOOV / "return-WEB.ach").read_bytes())
    assert [(r.return_code, r.original_trace, r.amount) for r in parsed.returns] == [
        ("R01", "091400600000001", Decimal("123.54")),
        ("R03", "091400600000003", Decimal("45.65")),
    ]
    assert parsed.returns[0].individual_name == "Paul Jones"
    assert parsed.returns[0].original_rdfi == "09100001"
    assert parsed.returns[0].trace_number == "091000017611242"


def test_a_notification_of_change_carries_the_corrected_account_number() -> None:
    parsed = parse_return_file((MOOV / "cor-example.ach").read_text())
    assert parsed.returns == ()
    [noc] = parsed.changes
    assert noc.change_code == "C01"
    assert noc.original_trace == "121042880000001"
    assert noc.corrected.account_number == "1918171614"
    assert noc.corrected.routing_number is None
    assert "1918171614" not in repr(noc)


def test_a_notice_updates_the_enrolments_bank_details_and_keeps_the_rest() -> None:
    noc = parse_return_file((MOOV / "cor-example.ach").read_text()).changes[0]
    assert apply_change(WELLS_FARGO_CA, "744567899", AccountType.CHECKING, noc) == (
        WELLS_FARGO_CA, "1918171614", AccountType.CHECKING)


@pytest.mark.parametrize(
    ("code", "data", "routing", "account", "kind"),
    [
        ("C01", "1918171614", None, "1918171614", None),
        ("C02", "121000358", "121000358", None, None),
        ("C03", "121000358   1918171614", "121000358", "1918171614", None),
        ("C05", "37", None, None, AccountType.SAVINGS),
        ("C06", "1918171614          32", None, "1918171614", AccountType.SAVINGS),
        ("C07", "1210003581918171614       27", "121000358", "1918171614", AccountType.CHECKING),
    ],
)
def test_each_change_code_reads_its_own_corrected_data_layout(
    code: str, data: str, routing: str | None, account: str | None, kind: AccountType | None,
) -> None:
    c = corrected_data(code, data)
    assert (c.routing_number, c.account_number, c.account_type) == (routing, account, kind)


def test_a_name_correction_does_not_touch_the_bank_details() -> None:
    c = corrected_data("C04", "MARIA LOPEZ-GARCIA")
    assert c.individual_name == "MARIA LOPEZ-GARCIA" and c.account_number is None
    notice = ChangeNotice("1", "C04", "100027457", "12104288", c, "", "1")
    assert apply_change(BOFA_CA, "9876543", AccountType.SAVINGS, notice) == (
        BOFA_CA, "9876543", AccountType.SAVINGS)


@pytest.mark.parametrize("code", ["R01", "R09"])
def test_insufficient_or_uncollected_funds_reverse_and_keep_enrolment(code: str) -> None:
    d = classify_return(code)
    assert d.action is ReturnAction.REVERSE_KEEP_ENROLMENT
    assert d.nsf and d.may_represent
    assert "funds" in d.customer_reason


def test_an_nsf_debit_is_presented_again_at_most_twice() -> None:
    assert [classify_return("R01", representments_so_far=n).may_represent
            for n in range(4)] == [True, True, False, False]
    assert MAX_REPRESENTMENTS == 2


@pytest.mark.parametrize("code", ["R02", "R03", "R04", "R07", "R10", "R16", "R05", "R08", "R12",
                                  "R15", "R20", "R29"])
def test_administrative_and_authorisation_returns_reverse_and_end_enrolment(code: str) -> None:
    d = classify_return(code)
    assert d.action is ReturnAction.REVERSE_END_ENROLMENT
    assert not d.nsf and not d.may_represent
    assert d.customer_reason and code not in d.customer_reason  # plain words, not a code


def test_an_unknown_return_code_ends_enrolment_and_tells_the_customer_to_call() -> None:
    d = classify_return("r97")
    assert d.code == "R97" and d.action is ReturnAction.REVERSE_END_ENROLMENT
    assert "contact us" in d.customer_reason


def test_revoked_or_unauthorised_debits_are_never_presented_again() -> None:
    assert never_present_again("R07") and never_present_again("R10")
    assert not never_present_again("R01")
    assert classify_return("R07").customer_reason.startswith("You revoked")


def test_a_return_reason_must_look_like_one() -> None:
    with pytest.raises(ReturnFileError):
        classify_return("C01")


def test_a_truncated_return_file_is_refused_whole() -> None:
    text = achkit_return_file()
    lines = text.split("\n")
    without_second_return = lines[:4] + lines[6:]
    with pytest.raises(ReturnFileError, match="record count"):
        parse_return_file("\n".join(without_second_return))


def test_a_return_file_whose_batch_total_was_altered_is_refused() -> None:
    altered = achkit_return_file().replace("0000008417", "0000008418", 1)
    with pytest.raises(ReturnFileError, match="debit total"):
        parse_return_file(altered)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no file header"),
        (b"5200" + b" " * 90, "file header"),
        ("1" + "x" * 94, "longer than 94"),
        ("é".encode(), "ASCII"),
        (b"1" + b" " * 93 + b"\nX" + b" " * 93, "unknown record type"),
        (b"x" * 5_000_001, "at most"),
    ],
)
def test_a_file_that_is_not_a_nacha_return_file_is_refused(data: bytes | str,
                                                           message: str) -> None:
    with pytest.raises(ReturnFileError, match=message) as err:
        parse_return_file(data)
    assert err.value.status == 422


def test_an_entry_flagged_with_an_addenda_that_never_comes_is_refused() -> None:
    lines = achkit_return_file().split("\n")
    del lines[3]  # the first 99 addenda
    with pytest.raises(ReturnFileError, match="flagged with an addenda"):
        parse_return_file("\n".join(lines))
