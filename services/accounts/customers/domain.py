"""Account numbers and identity data (no I/O).

An account number is eight digits followed by a Luhn check digit, so a mistyped or misread
digit (bill stub, lockbox, phone) is caught before anything is looked up.
"""

from __future__ import annotations

from kernel.checkdigit import is_valid, with_check_digit


def account_number(sequence: int) -> str:
    return with_check_digit(f"{sequence:08d}")


def check_digit_ok(number: str) -> bool:
    return len(number) == 9 and is_valid(number)


def last4(id_number: str) -> str:
    """Only the last four characters of an identity document are ever kept."""
    cleaned = "".join(ch for ch in id_number if ch.isalnum())
    if len(cleaned) < 4:
        raise ValueError("identity number too short")
    return cleaned[-4:]
