"""Each lockbox line either posts to an open account or waits in suspense with the reason why."""

from __future__ import annotations

from decimal import Decimal

from services.payments.lockbox.domain import (
    Disposition,
    Layout,
    LockboxFile,
    LockboxPayment,
    OpenAccounts,
    SuspenseReason,
    candidate_accounts,
    classify,
    split,
)
from services.payments.lockbox.reader import read_lockbox
from services.payments.lockbox.sample import sample_accounts, sample_file

SECRET = b"district-remitter-key"
ACCOUNTS = sample_accounts(5)


def one_check(layout: Layout = Layout.FIXED, **changes: object) -> LockboxFile:
    sample = sample_file(3, accounts=ACCOUNTS).with_check(0, 2, **changes)
    return read_lockbox(sample.render(layout), secret=SECRET)


def second_line(file: LockboxFile,
                open_accounts: OpenAccounts = frozenset(ACCOUNTS)) -> LockboxPayment:
    return classify(file, open_accounts)[1]


def test_a_valid_account_number_that_is_open_posts() -> None:
    line = second_line(one_check(account="10000001-7"))
    assert line.disposition is Disposition.POST
    assert line.account == "100000017" and line.reason is None


def test_the_stub_number_posts_with_or_without_its_hyphen() -> None:
    assert second_line(one_check(account="100000017")).account == "100000017"
    assert second_line(one_check(Layout.CSV, account="1000 0001 7")).account == "100000017"


def test_a_bad_check_digit_goes_to_suspense() -> None:
    line = second_line(one_check(account="10000001-8"))
    assert line.disposition is Disposition.SUSPENSE
    assert line.reason is SuspenseReason.BAD_CHECK_DIGIT
    assert line.account is None and line.account_as_read == "10000001-8"


def test_an_account_number_in_an_unknown_format_goes_to_suspense() -> None:
    for as_read in ("1000001-8", "INV-55821", "100000017000"):
        assert second_line(one_check(account=as_read)).reason is SuspenseReason.ACCOUNT_FORMAT


def test_a_check_without_a_stub_goes_to_suspense() -> None:
    assert second_line(one_check(account="")).reason is SuspenseReason.NO_ACCOUNT


def test_a_valid_number_that_is_not_an_open_account_goes_to_suspense() -> None:
    unknown = sample_accounts(1, start=77_000_000)[0]
    line = second_line(one_check(account=unknown))
    assert line.reason is SuspenseReason.ACCOUNT_NOT_OPEN
    assert line.account == unknown  # staff see the number the stub carried


def test_the_open_account_lookup_may_be_a_predicate() -> None:
    file = one_check(account="10000001-7")
    asked: list[str] = []

    def is_open(number: str) -> bool:
        asked.append(number)
        return number != "100000017"

    assert second_line(file, is_open).reason is SuspenseReason.ACCOUNT_NOT_OPEN
    assert "100000017" in asked


def test_only_numbers_with_a_valid_check_digit_are_looked_up() -> None:
    file = one_check(account="10000001-8")
    assert "100000018" not in candidate_accounts(file)
    assert candidate_accounts(file) <= set(ACCOUNTS)


def test_zero_and_negative_amounts_go_to_suspense() -> None:
    for layout in Layout:
        zero = second_line(one_check(layout, amount=Decimal("0.00")))
        assert zero.reason is SuspenseReason.ZERO_AMOUNT
        negative = second_line(one_check(layout, amount=Decimal("-12.00")))
        assert negative.reason is SuspenseReason.NEGATIVE_AMOUNT


def test_an_amount_with_three_decimals_goes_to_suspense() -> None:
    line = second_line(one_check(Layout.CSV, amount=Decimal("12.345")))
    assert line.reason is SuspenseReason.SUB_CENT_AMOUNT
    assert line.amount == Decimal("12.345")  # kept as read, for staff to see


def test_trailing_zeros_past_the_cents_are_whole_cents_and_post() -> None:
    line = second_line(one_check(Layout.CSV, account="10000001-7", amount=Decimal("12.300")))
    assert line.disposition is Disposition.POST and line.amount == Decimal("12.30")


def test_a_suspense_line_still_counts_toward_the_deposit_totals() -> None:
    file = one_check(amount=Decimal("-5.00"))
    posts, held = split(classify(file, frozenset(ACCOUNTS)))
    assert len(posts) + len(held) == file.count == 3
    assert sum(p.amount for p in posts) + sum(h.amount for h in held) == file.total
    assert [h.item for h in held] == [2]
