"""The same lockbox file twice changes nothing: same fingerprint, same keys, seen as a resend."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from services.payments.lockbox.domain import (
    Layout,
    Resend,
    classify,
    compare,
)
from services.payments.lockbox.reader import read_lockbox
from services.payments.lockbox.sample import sample_accounts, sample_file

SECRET = b"district-remitter-key"
ACCOUNTS = frozenset(sample_accounts(50))


def keys(data: bytes) -> list[str]:
    return [p.idempotency_key for p in classify(read_lockbox(data, secret=SECRET), ACCOUNTS)]


def test_the_same_file_twice_yields_the_same_keys() -> None:
    data = sample_file(200, accounts=sorted(ACCOUNTS)).render(Layout.FIXED)
    first, again = keys(data), keys(data)
    assert first == again
    assert len(set(first)) == 200  # one key per check


def test_the_same_file_twice_is_a_duplicate() -> None:
    data = sample_file(20).render(Layout.FIXED)
    first = read_lockbox(data, secret=SECRET).identity
    again = read_lockbox(data, secret=SECRET).identity
    assert compare(first, again) is Resend.DUPLICATE
    assert compare(None, again) is Resend.NEW


def test_the_same_deposit_resent_as_csv_or_under_a_new_transmission_keys_the_same() -> None:
    sample = sample_file(50, accounts=sorted(ACCOUNTS))
    fixed = sample.render(Layout.FIXED)
    assert keys(sample.render(Layout.CSV)) == keys(fixed)
    resent = replace(sample, file_id="LBX20261127B", created_time="0930").render(Layout.FIXED)
    assert keys(resent) == keys(fixed)
    first = read_lockbox(fixed, secret=SECRET).identity
    assert compare(first, read_lockbox(resent, secret=SECRET).identity) is Resend.DUPLICATE


def test_a_reused_bank_file_id_with_other_checks_is_a_conflict() -> None:
    sample = sample_file(20)
    first = read_lockbox(sample.render(Layout.FIXED), secret=SECRET).identity
    changed = sample.with_check(0, 3, amount=Decimal("1.00"))
    later = read_lockbox(changed.render(Layout.FIXED), secret=SECRET).identity
    assert later.bank_key == first.bank_key
    assert compare(first, later) is Resend.CONFLICT


def test_another_days_file_is_new_and_its_keys_differ() -> None:
    today = sample_file(20)
    tomorrow = sample_file(20, deposit_date=date(2026, 11, 28), file_id="LBX20261128A")
    a = read_lockbox(today.render(Layout.FIXED), secret=SECRET)
    b = read_lockbox(tomorrow.render(Layout.FIXED), secret=SECRET)
    assert compare(a.identity, b.identity) is Resend.NEW
    assert not set(keys(today.render(Layout.FIXED))) & set(keys(tomorrow.render(Layout.FIXED)))


def test_a_key_names_the_check_not_its_line_so_reflowed_files_keep_it() -> None:
    sample = sample_file(3, accounts=sorted(ACCOUNTS))
    lines = sample.render(Layout.FIXED).decode().splitlines()
    padded = ("\n\n".join(lines) + "\n").encode()  # blank lines shift every line number
    assert keys(padded) == keys(sample.render(Layout.FIXED))
    first = classify(read_lockbox(padded, secret=SECRET), ACCOUNTS)[0]
    assert first.line_no == 5 and first.idempotency_key.endswith(":1:1")
