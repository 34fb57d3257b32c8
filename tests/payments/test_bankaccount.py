"""Bank accounts for autopay: validated, encrypted at rest with rotating keys, shown masked."""

from __future__ import annotations

import base64
import os
import stat
import threading

import pytest

from kernel.bankaccount import (
    AccountType,
    BankAccount,
    BankKeyError,
    BankKeyring,
    InvalidBankAccountNumber,
    InvalidRoutingNumber,
    UndecryptableBankAccount,
    bank_keyring,
    bank_keys_file,
    mask,
    routing_checksum_ok,
    validate_account_number,
    validate_routing_number,
)
from kernel.settings import Settings

# Real, published routing numbers (ABA checksum valid).
JPMORGAN_NY = "021000021"
WELLS_FARGO_CA = "121042882"
BOFA_CA = "121000358"


def _keyring(*ids: str) -> BankKeyring:
    return BankKeyring.parse(",".join(f"{i}:{BankKeyring.generate_key()}" for i in ids))


@pytest.mark.parametrize("routing", [JPMORGAN_NY, WELLS_FARGO_CA, BOFA_CA, "011000015"])
def test_published_routing_numbers_pass_the_aba_checksum(routing: str) -> None:
    assert routing_checksum_ok(routing)
    assert validate_routing_number(f" {routing} ") == routing


@pytest.mark.parametrize("typo", ["021000012", "121042883", "211000021", "121000385"])
def test_a_mistyped_routing_digit_or_swapped_pair_fails_the_checksum(typo: str) -> None:
    assert not routing_checksum_ok(typo)
    with pytest.raises(InvalidRoutingNumber) as err:
        validate_routing_number(typo)
    assert err.value.status == 422
    assert err.value.errors is not None and err.value.errors[0].field == "routing_number"


@pytest.mark.parametrize("bad", ["", "12104288", "1210428820", "12104288a", "１２１０４２８８２"])
def test_a_routing_number_is_exactly_nine_ascii_digits(bad: str) -> None:
    with pytest.raises(InvalidRoutingNumber):
        validate_routing_number(bad)


def test_a_checksum_valid_number_outside_the_federal_reserve_prefixes_is_refused() -> None:
    # 50 is no Federal Reserve district, thrift or electronic prefix; the checksum alone holds.
    number = next(f"5000000{d:02d}" for d in range(100) if routing_checksum_ok(f"5000000{d:02d}"))
    with pytest.raises(InvalidRoutingNumber, match="does not belong"):
        validate_routing_number(number)


@pytest.mark.parametrize(
    ("entered", "kept"),
    [("1234", "1234"), ("12345678901234567", "12345678901234567"), ("0012-3456 78", "0012345678")],
)
def test_bank_account_numbers_are_four_to_seventeen_digits_as_printed(entered: str,
                                                                     kept: str) -> None:
    assert validate_account_number(entered) == kept


@pytest.mark.parametrize("bad", ["123", "123456789012345678", "12345x", "", "0000000", "12 3"])
def test_short_long_lettered_or_zero_account_numbers_are_refused(bad: str) -> None:
    with pytest.raises(InvalidBankAccountNumber) as err:
        validate_account_number(bad)
    assert err.value.errors is not None and err.value.errors[0].field == "account_number"


def test_display_shows_only_the_last_four_digits() -> None:
    assert mask("000123456789") == "****6789"
    assert mask("12345") == "****45"  # a short number keeps most of it hidden
    account = BankAccount.parse(WELLS_FARGO_CA, "000123456789", "savings")
    assert account.masked == "****6789"
    assert account.account_type is AccountType.SAVINGS
    assert "123456789" not in repr(account) and "123456789" not in str(account)


def test_an_account_number_is_stored_only_as_ciphertext_that_decrypts_back() -> None:
    ring = _keyring("k1")
    token = ring.encrypt("000123456789", context="enrolment-1")
    assert "123456789" not in token
    assert token.startswith("b1.k1.")
    assert ring.decrypt(token, context="enrolment-1") == "000123456789"


def test_the_same_number_encrypts_differently_each_time() -> None:
    # A fresh nonce per encryption: equal numbers cannot be spotted by comparing ciphertexts.
    ring = _keyring("k1")
    assert ring.encrypt("000123456789") != ring.encrypt("000123456789")


def test_a_token_copied_to_another_enrolment_does_not_decrypt() -> None:
    ring = _keyring("k1")
    token = ring.encrypt("000123456789", context="enrolment-1")
    with pytest.raises(UndecryptableBankAccount):
        ring.decrypt(token, context="enrolment-2")


def test_a_tampered_token_is_refused_not_misread() -> None:
    ring = _keyring("k1")
    token = ring.encrypt("000123456789")
    head, body = token.rsplit(".", 1)
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(UndecryptableBankAccount):
        ring.decrypt(f"{head}.{flipped}")
    with pytest.raises(UndecryptableBankAccount):
        ring.decrypt("not-a-token")


def test_relabelling_a_token_with_another_key_id_fails_authentication() -> None:
    ring = BankKeyring.parse(f"new:{BankKeyring.generate_key()},old:{BankKeyring.generate_key()}")
    token = ring.encrypt("000123456789")
    with pytest.raises(UndecryptableBankAccount):
        ring.decrypt(token.replace("b1.new.", "b1.old.", 1))


def test_rotation_newest_key_encrypts_every_listed_key_decrypts() -> None:
    old_key = BankKeyring.generate_key()
    before = BankKeyring.parse(f"2025:{old_key}")
    stored = before.encrypt("000123456789", context="e1")

    after = BankKeyring.parse(f"2026:{BankKeyring.generate_key()},2025:{old_key}")
    assert after.current_key_id == "2026"
    assert after.decrypt(stored, context="e1") == "000123456789"
    assert after.needs_rotation(stored)
    rotated = after.rotate(stored, context="e1")
    assert after.key_id_of(rotated) == "2026" and not after.needs_rotation(rotated)
    assert after.rotate(rotated, context="e1") == rotated
    assert after.decrypt(rotated, context="e1") == "000123456789"

    # Once the old key is dropped, only rotated tokens still open.
    newest_only = BankKeyring(after.keys[:1])
    assert newest_only.decrypt(rotated, context="e1") == "000123456789"
    with pytest.raises(UndecryptableBankAccount, match="not configured"):
        newest_only.decrypt(stored, context="e1")


@pytest.mark.parametrize(
    "spec",
    ["", "k1", f"k1:{base64.urlsafe_b64encode(b'short').decode()}", "k1:%%%",
     f"bad id:{BankKeyring.generate_key()}", "k1:{0},k1:{0}".format(BankKeyring.generate_key())],
)
def test_a_misconfigured_keyring_stops_the_service_instead_of_storing_in_the_clear(
    spec: str,
) -> None:
    with pytest.raises(BankKeyError):
        BankKeyring.parse(spec)


def test_keys_never_appear_in_a_repr() -> None:
    key = BankKeyring.generate_key()
    ring = BankKeyring.parse(f"k1:{key}")
    assert key not in repr(ring) and "k1" in repr(ring)
    settings = Settings(bank_keys=f"k1:{key}")
    assert key not in repr(settings)
    assert bank_keyring(settings).current_key_id == "k1"


def test_without_configuration_one_key_is_generated_once_and_kept_private(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    rings: list[BankKeyring] = []
    threads = [threading.Thread(target=lambda: rings.append(bank_keyring(settings)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    token = rings[0].encrypt("000123456789")
    # Every process that started at once agrees on the one key.
    assert all(r.decrypt(token) == "000123456789" for r in rings)
    assert bank_keyring(settings).decrypt(token) == "000123456789"
    path = bank_keys_file(settings)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["bank-keys"]
