"""A remitter's bank account never leaves the parser: routing, last four and a keyed hash only."""

from __future__ import annotations

import logging
from pathlib import Path

from services.payments.lockbox.domain import Layout, classify
from services.payments.lockbox.reader import read_lockbox
from services.payments.lockbox.sample import sample_accounts, sample_file
from tapline.secretscan import scan_paths

SECRET = b"district-remitter-key"


def test_only_the_last_four_of_the_remitters_account_is_kept(tmp_path: Path) -> None:
    sample = sample_file(100)
    micr = {c.remitter_account for b in sample.batches for c in b.checks if c.remitter_account}
    assert micr
    for layout in Layout:
        file = read_lockbox(sample.render(layout), secret=SECRET)
        payments = classify(file, frozenset(sample_accounts(5_000)))
        text = repr(file) + repr(payments)
        assert not [m for m in micr if m in text]
        with_micr = [p for p in payments if p.remitter]
        assert with_micr and all(len(p.remitter.last4) == 4 for p in with_micr if p.remitter)
        dump = tmp_path / f"{layout}.txt"
        dump.write_text(text)
        logging.getLogger("tests.lockbox").warning("imported %s", payments[:20])
        assert scan_paths([dump]) == []


def test_the_same_remitter_gets_the_same_key_and_another_a_different_one() -> None:
    sample = sample_file(3).with_check(0, 1, routing="121000248", remitter_account="4400123456") \
        .with_check(0, 2, routing="121000248", remitter_account="4400123456") \
        .with_check(0, 3, routing="121000248", remitter_account="4400123457")
    r = [x.remitter for x in read_lockbox(sample.render(Layout.FIXED), secret=SECRET).remittances]
    assert r[0] and r[1] and r[2]
    assert r[0].key == r[1].key != r[2].key
    assert (r[0].routing, r[0].last4, r[2].last4) == ("121000248", "3456", "3457")


def test_the_remitter_key_depends_on_the_districts_secret() -> None:
    sample = sample_file(3).with_check(0, 1, routing="121000248", remitter_account="4400123456")
    a = read_lockbox(sample.render(Layout.FIXED), secret=SECRET).remittances[0].remitter
    b = read_lockbox(sample.render(Layout.FIXED), secret=b"x" * 100).remittances[0].remitter
    assert a and b and a.key != b.key and a.last4 == b.last4


def test_a_check_without_a_micr_line_has_no_remitter() -> None:
    sample = sample_file(3).with_check(0, 1, routing="", remitter_account="")
    assert read_lockbox(sample.render(Layout.CSV), secret=SECRET).remittances[0].remitter is None
