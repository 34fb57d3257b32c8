"""The secret scan finds card numbers, bank accounts and passwords, and not our ordinary data."""

from __future__ import annotations

import uuid

import pytest

from kernel.checkdigit import with_check_digit
from tapline import secretscan
from tapline.secretscan import is_card_number, scan_bytes, scan_file, scan_paths

VISA = "4111111111111111"  # the classic test card: Luhn-valid, Visa range


def _kinds(data: str, passwords: tuple[str, ...] = ()) -> list[str]:
    return [kind for _, kind, _ in scan_bytes(data.encode(), passwords)]


@pytest.mark.parametrize("text", [
    f'{{"msg": "charge {VISA} ok"}}',
    "card=4111 1111 1111 1111 exp 12/29",
    "card 4111-1111-1111-1111.",
    "amex 3782 822463 10005",
    "mc\t5555555555554444\t",
    "on 2026-11-27 4111 1111 1111 1111 2026",  # a date and a year in the same run of digits
])
def test_a_planted_card_number_is_found_and_reported_masked(text):
    found = scan_bytes(text.encode())
    assert [kind for _, kind, _ in found] == ["card number"]
    offset, _, masked = found[0]
    assert text[offset].isdigit() and masked.endswith(masked.lstrip("*")[-4:])
    assert "1111111111" not in masked and "*" in masked


@pytest.mark.parametrize("text", [
    str(uuid.UUID("41111111-1111-1111-1111-111111111111")),  # a UUID that is all digits
    "call 916-555-0123 or +1 (916) 555 0123",
    "amount 1234567890.12 total 99999999999.99",
    f"account {with_check_digit('12345678')} account {with_check_digit('00000042')}",
    "epoch 1764268800123 ns 1764268800123456789",  # timestamps start with 1: no card network
    "4111111111111112",  # fails the Luhn test
    "x41111111111111111y",  # touches letters (hex, an identifier)
    "\\x3431313131313131313131313131313131",  # bytea hex
    "41111111111111110",  # 17 digits: no Visa is that long
])
def test_ordinary_values_are_not_card_numbers(text):
    assert _kinds(text) == []


def test_uuids_are_never_card_numbers():
    assert _kinds(" ".join(str(uuid.uuid4()) for _ in range(5000))) == []


def test_card_rules():
    assert is_card_number("4222222222222")  # 13-digit Visa
    assert is_card_number("6011111111111117")
    assert not is_card_number("1234567812345670")  # Luhn-valid, but no card network
    assert not is_card_number("411111111111")  # too short


@pytest.mark.parametrize("text", [
    '{"bank_account_number": "000123456789"}',
    "bankAccount=12345678",
    '{"routing_number": "121000358", "account_number": "98765432101"}',
    "DDA: 1234 5678 90",
    "\u2446121000358\u2446 1234567890\u2448 0101",
])
def test_a_planted_bank_account_is_found(text):
    assert _kinds(text) and all(k.startswith("bank account") for k in _kinds(text))


@pytest.mark.parametrize("text", [
    '{"bank_account_last4": "6789", "bank_account": "6789"}',  # the last four are allowed
    f'{{"account_number": "{with_check_digit("00001234")}", "postal_code": "95814"}}',
    '{"routing_number": "121000358", "account_number": "123456789"}'[:40],  # routing alone
    '{"routing_number": "121000359", "account_number": "98765432101"}',  # not a routing number
    "each account: 1234567; savings of 25.00; checking 12345",  # words, no field
])
def test_our_account_numbers_and_routing_numbers_alone_are_not_bank_accounts(text):
    assert _kinds(text) == []


def test_a_dump_row_is_read_by_its_column_names():
    dump = (
        "COPY accounts.accounts (id, number, postal_code) FROM stdin;\n"
        f"1\t{with_check_digit('00000001')}\t95814\n\\.\n\n"
        "COPY payments.bank_tenders (id, routing_number, account_number, amount) FROM stdin;\n"
        "7\t121000358\t98765432101\t25.00\n"
        "8\t121000358\t\\N\t25.00\n\\.\n"
    ).encode()
    found = scan_bytes(dump)
    assert [(kind, masked) for _, kind, masked in found] == [
        ("bank account (column account_number)", "*******2101")]
    assert dump[found[0][0]:].startswith(b"98765432101")


def test_a_password_is_found_as_a_whole_token_only():
    pw = ("correct-horse-battery",)
    assert _kinds('{"password": "correct-horse-battery"}', pw) == ["password"]
    assert _kinds("application_name=correct-horse-battery-accounts", pw) == []
    assert [m for _, _, m in scan_bytes(b"x correct-horse-battery", pw)] == ["*" * 21]


def test_a_card_across_a_chunk_border_is_found_once(tmp_path, monkeypatch):
    monkeypatch.setattr(secretscan, "_CHUNK", 1000)
    path = tmp_path / "big.log"
    path.write_bytes(b"." * 990 + VISA.encode() + b"\n" + b"." * 3000 + b" " + VISA.encode())
    found = scan_file(path)
    assert [f.offset for f in found] == [990, 990 + 17 + 3001]
    assert VISA not in str(found)


def test_scan_paths_walks_directories_and_skips_what_it_is_told(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "a.log").write_text(f"paid with {VISA}\n")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "k.pem").write_text(f"{VISA}\n")
    found = scan_paths([tmp_path], skip=[tmp_path / "keys"])
    assert [(f.path.endswith("a.log"), f.offset, f.kind) for f in found] == [
        (True, 10, "card number")]
    assert str(found[0]).endswith("card number ************1111")


def test_the_command_line_scan_exits_1_on_a_finding(tmp_path, capsys):
    (tmp_path / "clean.log").write_text("account 000000018 paid 25.00\n")
    assert secretscan.main([str(tmp_path)]) == 0
    (tmp_path / "dump.sql").write_text(f"x\t{VISA}\n")
    assert secretscan.main([str(tmp_path)]) == 1
    assert capsys.readouterr().out.strip().endswith("dump.sql:2: card number ************1111")
