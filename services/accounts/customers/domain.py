"""Account numbers and identity data (no I/O).

An account number is eight digits followed by a Luhn check digit, so a mistyped or misread
digit (bill stub, lockbox, phone) is caught before anything is looked up.
"""

from __future__ import annotations


def luhn_digit(base: str) -> str:
    """The Luhn check digit of a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(base)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def account_number(sequence: int) -> str:
    base = f"{sequence:08d}"
    return base + luhn_digit(base)


def check_digit_ok(number: str) -> bool:
    return (
        len(number) == 9 and number.isdigit() and luhn_digit(number[:-1]) == number[-1]
    )


def last4(id_number: str) -> str:
    """Only the last four characters of an identity document are ever kept."""
    cleaned = "".join(ch for ch in id_number if ch.isalnum())
    if len(cleaned) < 4:
        raise ValueError("identity number too short")
    return cleaned[-4:]
