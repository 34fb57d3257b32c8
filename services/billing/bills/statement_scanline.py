"""The remittance stub's OCR-A scanline (docs/statements.md, "Scanline").

    100027457 0000012345 3
    |         |          └ check digit: Luhn (mod 10) over the 19 digits before it
    |         └ amount due in cents, 10 digits, zero-filled (0 when nothing is due)
    └ account number with its own check digit (9 digits, kernel/checkdigit.py)

Single spaces between the fields, 22 characters in all. The lockbox bank's reader captures the
line and sends it back in the lockbox file, where `services/payments/lockbox/scanline.py`
reads it (the layouts carry it next to the detail it belongs to). The two check digits catch a
misread account and a misread line separately: a misread amount never posts to a wrong account.
"""

from __future__ import annotations

from decimal import Decimal

from kernel.checkdigit import luhn_digit

LENGTH = 22


def scanline(account_number: str, amount_due: Decimal) -> str:
    account = account_number.replace("-", "").strip()
    if len(account) != 9 or not account.isdigit():
        raise ValueError("an account number is nine digits")
    cents = max(int((amount_due * 100).to_integral_value()), 0)
    if cents >= 10**10:
        raise ValueError("amount due too large for the scanline")
    amount = f"{cents:010d}"
    return f"{account} {amount} {luhn_digit(account + amount)}"
