"""Reading a lockbox file: what is refused whole (nothing imported), what both layouts agree on."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from services.payments.lockbox.domain import (
    Layout,
    LockboxMalformed,
    LockboxTooLarge,
    LockboxTotalsMismatch,
)
from services.payments.lockbox.reader import read_lockbox
from services.payments.lockbox.sample import sample_file

SECRET = b"district-remitter-key"


def lines_of(data: bytes) -> list[str]:
    return data.decode().splitlines()


def joined(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_a_valid_fixed_width_file_reads_every_check_with_its_batch_totals() -> None:
    sample = sample_file(600, batch_size=250)
    got = read_lockbox(sample.render(Layout.FIXED), secret=SECRET)
    assert got.layout is Layout.FIXED
    assert got.count == 600
    assert [b.count for b in got.batches] == [250, 250, 100]
    expected = sum((c.amount for b in sample.batches for c in b.checks), Decimal(0))
    assert got.total == expected
    assert got.identity.file_id == "LBX20261127A"
    assert got.identity.origin == "121000248"


def test_csv_and_fixed_width_give_the_same_payments() -> None:
    sample = sample_file(300, batch_size=120)
    fixed = read_lockbox(sample.render(Layout.FIXED), secret=SECRET)
    csv = read_lockbox(sample.render(Layout.CSV), secret=SECRET)
    assert csv.layout is Layout.CSV
    strip = [r._replace(line_no=0) for r in fixed.remittances]
    assert [r._replace(line_no=0) for r in csv.remittances] == strip
    assert csv.batches == fixed.batches
    assert (csv.count, csv.total) == (fixed.count, fixed.total)
    assert csv.identity.fingerprint == fixed.identity.fingerprint
    assert csv.identity.content_hash != fixed.identity.content_hash


def test_a_batch_trailer_whose_total_differs_from_its_checks_refuses_the_file() -> None:
    lines = lines_of(sample_file(10).render(Layout.FIXED))
    trailer = next(i for i, line in enumerate(lines) if line.startswith("7"))
    lines[trailer] = lines[trailer][:10] + "000000000001" + lines[trailer][22:]
    with pytest.raises(LockboxTotalsMismatch) as refused:
        read_lockbox(joined(lines), secret=SECRET)
    assert refused.value.status == 422
    assert refused.value.errors and refused.value.errors[0].field == f"line {trailer + 1}"


def test_a_file_trailer_whose_count_differs_from_the_details_refuses_the_file() -> None:
    lines = lines_of(sample_file(10).render(Layout.FIXED))
    lines[-1] = lines[-1][:5] + "0000011" + lines[-1][12:]
    with pytest.raises(LockboxTotalsMismatch) as refused:
        read_lockbox(joined(lines), secret=SECRET)
    assert refused.value.errors and "11 item(s)" in refused.value.errors[0].message


def test_a_csv_trailer_whose_total_differs_refuses_the_file() -> None:
    lines = lines_of(sample_file(5).render(Layout.CSV))
    cells = lines[-1].split(",")
    cells[-1] = str(Decimal(cells[-1]) + Decimal("0.01"))
    lines[-1] = ",".join(cells)
    with pytest.raises(LockboxTotalsMismatch):
        read_lockbox(joined(lines), secret=SECRET)


def test_a_file_cut_short_before_its_trailer_is_refused() -> None:
    lines = lines_of(sample_file(10).render(Layout.FIXED))[:-3]
    with pytest.raises(LockboxMalformed) as refused:
        read_lockbox(joined(lines), secret=SECRET)
    assert any("no file trailer" in e.message for e in refused.value.errors or [])


def test_malformed_lines_are_named_by_line_number_and_nothing_is_read() -> None:
    lines = lines_of(sample_file(10).render(Layout.FIXED))
    lines[3] = lines[3][:10] + "12AB567890" + lines[3][20:]  # amount not digits
    lines[5] = "X" + lines[5][1:]  # unknown record type
    with pytest.raises(LockboxMalformed) as refused:
        read_lockbox(joined(lines), secret=SECRET)
    fields = [e.field for e in refused.value.errors or []]
    assert fields == ["line 4", "line 6"]
    assert refused.value.code == "lockbox-malformed"


def test_a_refusal_never_repeats_the_remitters_bank_account() -> None:
    sample = sample_file(3)
    account = sample.batches[0].checks[1].remitter_account
    assert account
    lines = lines_of(sample.render(Layout.FIXED))
    lines[3] = lines[3] + "TOO LONG"
    with pytest.raises(LockboxMalformed) as refused:
        read_lockbox(joined(lines), secret=SECRET)
    assert account not in str(refused.value.errors) + str(refused.value)


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    data = sample_file(100).render(Layout.FIXED)
    with pytest.raises(LockboxTooLarge) as refused:
        read_lockbox(data, secret=SECRET, max_bytes=len(data) - 1)
    assert refused.value.status == 413


def test_a_streamed_file_over_the_byte_limit_is_refused() -> None:
    data = sample_file(100).render(Layout.FIXED)
    with pytest.raises(LockboxTooLarge):
        read_lockbox(iter(data.splitlines(keepends=True)), secret=SECRET, max_bytes=4_000)


def test_a_file_with_more_details_than_the_limit_is_refused() -> None:
    for layout in Layout:
        with pytest.raises(LockboxTooLarge):
            read_lockbox(sample_file(51).render(layout), secret=SECRET, max_details=50)


def test_something_that_is_not_a_lockbox_file_is_refused() -> None:
    with pytest.raises(LockboxMalformed) as refused:
        read_lockbox(b"%PDF-1.7\nnot a lockbox\n", secret=SECRET)
    assert refused.value.errors and refused.value.errors[0].field == "line 1"
    with pytest.raises(LockboxMalformed):
        read_lockbox(b"\n\n", secret=SECRET)


def test_a_detail_outside_a_batch_and_a_repeated_item_are_refused() -> None:
    lines = lines_of(sample_file(4).render(Layout.FIXED))
    # lines: 1 header, 5 batch, 6 x4, 7, 9 — repeat item 1 and move a detail after the trailer 7
    lines[3] = lines[3][:5] + lines[2][5:10] + lines[3][10:]
    lines.insert(7, lines[4])
    with pytest.raises(LockboxMalformed) as refused:
        read_lockbox(joined(lines), secret=SECRET)
    messages = [e.message for e in refused.value.errors or []]
    assert any("repeated" in m for m in messages)
    assert any("outside a batch" in m for m in messages)


def test_windows_line_endings_and_trimmed_trailing_blanks_read_the_same() -> None:
    sample = sample_file(20)
    plain = read_lockbox(sample.render(Layout.FIXED), secret=SECRET)
    crlf = read_lockbox(sample.render(Layout.FIXED, crlf=True), secret=SECRET)
    assert crlf.remittances == plain.remittances
    assert crlf.identity == plain.identity


def test_csv_columns_may_come_in_any_order_but_must_be_known() -> None:
    lines = lines_of(sample_file(5).render(Layout.CSV))
    rows = [line.split(",") for line in lines]
    order = list(reversed(range(len(rows[0]))))
    shuffled = joined([",".join(row[i] for i in order) for row in rows])
    assert read_lockbox(shuffled, secret=SECRET).remittances == \
        read_lockbox(joined(lines), secret=SECRET).remittances
    rows[0][3] = "payer_ssn"
    with pytest.raises(LockboxMalformed) as refused:
        read_lockbox(joined([",".join(r) for r in rows]), secret=SECRET)
    assert refused.value.errors and "unknown payer_ssn" in refused.value.errors[0].message


def test_the_examples_in_the_documentation_read_as_documented() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "lockbox.md").read_text()
    examples = re.findall(r"```\n(.*?)```", doc, re.S)
    read = [read_lockbox(text.encode(), secret=SECRET) for text in examples]
    assert [(f.layout, f.count, f.total) for f in read] == [
        (Layout.FIXED, 2, Decimal("436.20")), (Layout.CSV, 2, Decimal("436.20"))]
    assert read[0].remittances[1].remitter == read[1].remittances[1].remitter
