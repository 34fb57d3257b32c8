"""Account numbers carry a Luhn (mod 10) check digit as their last digit.

One definition for every service: accounts issues and validates numbers, billing prints them on
bill stubs, payments reads them back from lockbox files. 9 digits in all: 8 + the check digit.
"""

from __future__ import annotations


def luhn_digit(digits: str) -> int:
    """The check digit that makes `digits` + it pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def with_check_digit(base: str) -> str:
    return base + str(luhn_digit(base))


def is_valid(number: str) -> bool:
    """A whole number (check digit last) passes the Luhn test."""
    return number.isdigit() and len(number) >= 2 and luhn_digit(number[:-1]) == int(number[-1])


def printed(number: str) -> str:
    """As on a bill stub, the check digit set apart: '10002745-7'."""
    n = number.replace("-", "").strip()
    return f"{n[:-1]}-{n[-1]}" if n else ""
