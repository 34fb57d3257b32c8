"""The autopay NACHA PPD debit file, read back by an independent library (achkit, from PyPI).

Our writer never checks itself here: every total, hash, count and block is what achkit's parser
reads from the text and what its reconciliation validator recomputes from the entries.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import achkit
import pytest

from kernel.bankaccount import AccountType
from services.payments.autopay.nacha import (
    RETRY_DESCRIPTION,
    Batch,
    Debit,
    NachaError,
    Originator,
    write_ppd_debit_file,
)

WELLS_FARGO_CA = "121042882"
BOFA_CA = "121000358"
JPMORGAN_NY = "021000021"
DISTRICT_BANK = "122000247"  # the ODFI the district sends its file to

ORIGINATOR = Originator(
    immediate_destination=DISTRICT_BANK,
    immediate_destination_name="Wells Fargo Bank",
    immediate_origin="1953123456",
    immediate_origin_name="Tapline Demo Water Dist",
    company_name="Demo Water Dist",
    company_id="1953123456",
    odfi_routing=DISTRICT_BANK,
)
CREATED = datetime(2026, 11, 30, 16, 45)
EFFECTIVE = date(2026, 12, 1)


def debit(amount: str, *, routing: str = WELLS_FARGO_CA, account: str = "000123456789",
          kind: AccountType = AccountType.CHECKING, prenote: bool = False,
          who: str = "100027457", name: str = "Maria Lopez", addenda: str | None = None) -> Debit:
    return Debit(routing, account, kind, Decimal(amount), who, name, prenote, addenda)


def write(*debits: Debit, **kw) -> tuple[str, dict[str, Any]]:
    written = write_ppd_debit_file(ORIGINATOR, [Batch(EFFECTIVE, debits, "DEC 26")],
                                   created_at=CREATED, **kw)
    return written.text, achkit.parse(written.text)


def test_a_days_autopay_file_reconciles_in_an_independent_validator() -> None:
    text, parsed = write(
        debit("84.17"),
        debit("1204.50", routing=BOFA_CA, account="9876543", kind=AccountType.SAVINGS,
              who="100031226", name="Chen Family Trust"),
        debit("0", routing=JPMORGAN_NY, account="55501234", prenote=True, who="100044890",
              name="Sam Okafor"),
    )
    assert achkit.validate(text) == {"ok": True, "errors": []}

    assert parsed["destination_routing"] == DISTRICT_BANK
    assert parsed["origin_routing"] == "1953123456"
    assert (parsed["creation_date"], parsed["creation_time"]) == ("261130", "1645")
    [batch] = parsed["batches"]
    assert batch["service_class"] == 225  # debits only
    assert batch["sec"] == "PPD"
    assert batch["company_name"] == "DEMO WATER DIST"
    assert batch["company_id"] == "1953123456"
    assert batch["description"] == "WATER BILL"
    assert batch["effective_date"] == "261201"
    assert batch["origin_dfi"] == DISTRICT_BANK[:8]

    entries = batch["entries"]
    assert [e["txn_code"] for e in entries] == [27, 37, 28]  # checking, savings, prenote
    assert [e["amount_cents"] for e in entries] == [8417, 120450, 0]
    assert [e["routing"] for e in entries] == [WELLS_FARGO_CA, BOFA_CA, JPMORGAN_NY]
    assert [e["id_number"] for e in entries] == ["100027457", "100031226", "100044890"]
    assert entries[1]["name"] == "CHEN FAMILY TRUST"
    assert [e["trace_number"] for e in entries] == [
        "122000240000001", "122000240000002", "122000240000003"]

    expected_hash = int(WELLS_FARGO_CA[:8]) + int(BOFA_CA[:8]) + int(JPMORGAN_NY[:8])
    for control in (batch["control"], parsed["control"]):
        assert control["total_debit"] == 8417 + 120450
        assert control["total_credit"] == 0
        assert control["entry_addenda_count"] == 3
        assert int(control["entry_hash"]) == expected_hash
    assert parsed["control"]["batch_count"] == 1
    assert parsed["control"]["block_count"] == 1


def test_the_file_is_ninety_four_character_records_padded_with_nines_to_a_block() -> None:
    text, parsed = write(debit("10.00"), debit("20.00"))
    lines = text.split("\n")
    assert lines[-1] == ""  # every record ends with a newline
    records = lines[:-1]
    assert all(len(r) == 94 for r in records)
    assert len(records) == 10
    # header, batch header, 2 entries, batch control, file control = 6; 4 filler records
    assert [r[0] for r in records[:6]] == ["1", "5", "6", "6", "8", "9"]
    assert records[6:] == ["9" * 94] * 4
    assert parsed["control"]["block_count"] == 1


def test_a_file_that_fills_its_block_exactly_gets_no_filler() -> None:
    text, parsed = write(*(debit(f"{n}.00", who=f"1000{n}") for n in range(1, 7)))
    records = text.splitlines()
    assert len(records) == 10 and records[-1][0] == "9" and records[-1] != "9" * 94
    assert achkit.validate(text)["ok"]
    assert parsed["control"]["block_count"] == 1


def test_eleven_records_take_two_blocks() -> None:
    text, parsed = write(*(debit("1.00", who=f"1000{n}") for n in range(7)))
    records = text.splitlines()
    assert len(records) == 20
    assert records[11:] == ["9" * 94] * 9
    assert parsed["control"]["block_count"] == 2
    assert achkit.validate(text)["ok"]


def test_the_entry_hash_keeps_the_last_ten_digits_of_a_large_district_sum() -> None:
    debits = [debit("12.34", routing=WELLS_FARGO_CA if n % 2 else "322271627",
                    who=f"{100000000 + n}") for n in range(1000)]
    written = write_ppd_debit_file(ORIGINATOR, [Batch(EFFECTIVE, debits)], created_at=CREATED)
    full = sum(int(d.routing_number[:8]) for d in debits)
    assert full >= 10**10  # the sum overflows the 10-digit field
    parsed = achkit.parse(written.text)
    assert parsed["control"]["entry_hash"] == str(full)[-10:]
    assert parsed["batches"][0]["control"]["entry_hash"] == str(full)[-10:]
    assert parsed["control"]["total_debit"] == 1234 * 1000
    assert written.total_debit == Decimal("12340.00")
    assert achkit.validate(written.text)["ok"]


def test_an_independent_validator_catches_a_file_altered_after_writing() -> None:
    # Proves the reconciliation above can fail: one entry's amount changed by a cent.
    text, _ = write(debit("84.17"), debit("15.00"))
    altered = text.replace("0000008417", "0000008418", 1)
    assert altered != text
    result = achkit.validate(altered)
    assert not result["ok"]
    assert {e["code"] for e in result["errors"]} >= {"BAD_BATCH_DEBIT", "BAD_FILE_DEBIT"}


def test_one_batch_per_effective_date_each_with_its_own_controls() -> None:
    written = write_ppd_debit_file(
        ORIGINATOR,
        [Batch(date(2026, 12, 1), [debit("40.00"), debit("2.50", routing=BOFA_CA)]),
         Batch(date(2026, 12, 2), []),  # an empty day writes no batch
         Batch(date(2026, 12, 3), [debit("7.25", routing=JPMORGAN_NY)])],
        created_at=CREATED,
    )
    parsed = achkit.parse(written.text)
    assert achkit.validate(written.text)["ok"]
    assert [b["effective_date"] for b in parsed["batches"]] == ["261201", "261203"]
    assert [b["batch_number"] for b in parsed["batches"]] == [1, 2]
    assert [b["control"]["total_debit"] for b in parsed["batches"]] == [4250, 725]
    assert parsed["control"]["batch_count"] == 2
    assert parsed["control"]["total_debit"] == 4975
    # trace numbers run on across batches and are handed back for matching returns
    assert [e.trace_number[-7:] for e in written.entries] == ["0000001", "0000002", "0000003"]
    assert [e.effective_date for e in written.entries] == [
        date(2026, 12, 1), date(2026, 12, 1), date(2026, 12, 3)]


def test_trace_numbers_continue_the_days_sequence_and_modifier_tells_files_apart() -> None:
    text, parsed = write(debit("1.00"), file_id_modifier="b", first_trace_sequence=501)
    assert parsed["file_id_modifier"] == "B"
    assert parsed["batches"][0]["entries"][0]["trace_number"] == "122000240000501"


def test_an_addenda_counts_in_the_controls_and_carries_the_bill() -> None:
    text, parsed = write(debit("84.17", addenda="Bill 2026-11-000184 account 100027457"))
    entry = parsed["batches"][0]["entries"][0]
    assert entry["addenda_flag"] is True
    assert entry["addenda"][0]["type"] == "05"
    assert entry["addenda"][0]["info"] == "BILL 2026-11-000184 ACCOUNT 100027457"
    assert entry["addenda"][0]["entry_detail_sequence"] == "0000001"
    assert parsed["control"]["entry_addenda_count"] == 2
    assert achkit.validate(text)["ok"]


def test_names_are_written_in_the_banks_plain_upper_case_ascii() -> None:
    _, parsed = write(debit("5.00", name="José Peña-Ñúñez de la Fuente y Cía"))
    assert parsed["batches"][0]["entries"][0]["name"] == "JOSE PENA-NUNEZ DE LA"  # 22 wide


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (debit("0"), "more than zero"),
        (debit("-5.00"), "more than zero"),
        (debit("10.001"), "in cents"),
        (debit("10.000"), "in cents"),
        (debit("100000000.00"), "at most"),
        (debit("1.00", prenote=True), "no amount"),
        (debit("1.00", routing="121042883"), "routing"),
        (debit("1.00", account="12ab5678"), "4-17 digits"),
        (debit("1.00", account="123"), "4-17 digits"),
    ],
)
def test_an_entry_the_bank_would_reject_stops_the_whole_file(bad: Debit, message: str) -> None:
    with pytest.raises(NachaError, match=message) as err:
        write(debit("10.00"), bad)
    assert err.value.status == 422


def test_a_float_amount_is_refused() -> None:
    with pytest.raises(NachaError, match="Decimal"):
        write(Debit(WELLS_FARGO_CA, "000123456789", AccountType.CHECKING, 10.5, "1", "X"))  # type: ignore[arg-type]


def test_a_file_with_no_debits_is_not_written() -> None:
    with pytest.raises(NachaError, match="at least one"):
        write_ppd_debit_file(ORIGINATOR, [Batch(EFFECTIVE, [])], created_at=CREATED)


@pytest.mark.parametrize(
    "change",
    [{"immediate_destination": "122000248"}, {"odfi_routing": "12200024"},
     {"immediate_origin": "12345678"}, {"company_id": "12345678901"}, {"company_name": "  "}],
)
def test_a_misconfigured_district_bank_setup_is_refused(change: dict[str, Any]) -> None:
    from dataclasses import replace

    with pytest.raises(NachaError):
        write_ppd_debit_file(replace(ORIGINATOR, **change), [Batch(EFFECTIVE, [debit("1.00")])],
                             created_at=CREATED)


def test_the_debit_repr_never_shows_the_account_number() -> None:
    assert "000123456789" not in repr(debit("1.00"))


def test_a_debit_presented_again_after_nsf_goes_in_a_retry_payment_batch() -> None:
    written = write_ppd_debit_file(
        ORIGINATOR,
        [Batch(EFFECTIVE, [debit("84.17")]),
         Batch(EFFECTIVE, [debit("54.17")], company_entry_description=RETRY_DESCRIPTION)],
        created_at=CREATED,
    )
    parsed = achkit.parse(written.text)
    assert [b["description"] for b in parsed["batches"]] == ["WATER BILL", "RETRY PYMT"]
    assert achkit.validate(written.text)["ok"]


def test_the_records_achkit_does_not_read_match_the_nacha_layout_to_the_character() -> None:
    # Written out by hand from the NACHA layout: priority 01, ' ' + destination, origin,
    # YYMMDDHHMM, modifier, record size 094, blocking factor 10, format 1, the two names.
    text, _ = write(debit("84.17"))
    header, batch_header, entry = text.splitlines()[:3]
    assert header == (
        "101 1220002471953123456" "2611301645" "A" "094" "10" "1"
        "WELLS FARGO BANK       " "TAPLINE DEMO WATER DIST" "        "
    )
    assert batch_header == (
        "5225" "DEMO WATER DIST " + " " * 20 + "1953123456" "PPD" "WATER BILL" "DEC 26"
        "261201" "   " "1" "12200024" "0000001"
    )
    assert entry == (
        "627" "12104288" "2" "000123456789     " "0000008417" "100027457      "
        "MARIA LOPEZ           " "  " "0" "122000240000001"
    )
