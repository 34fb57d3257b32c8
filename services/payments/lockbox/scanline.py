"""The remittance stub's scanline, as the bank's lockbox reader captured it (docs/lockbox.md,
"Scanline"). Billing prints it in OCR-A on every statement:

    100027457 0000012345 3
    account (9 digits, its own Luhn check digit) · amount due in cents (10 digits) ·
    a Luhn check digit over the 19 digits before it

A lockbox file carries it beside the detail it belongs to: in the fixed-width layout as a
record `4` right after the detail `6` (batch in columns 2-5, item in 6-10, the scanline from
column 11), in the CSV layout as an optional `scanline` column of the `D` row. When the detail's
own account field is blank or fails its check digit, a scanline that reads (both check digits
pass) supplies the account; a scanline that does not read is kept as the account as read, so
the check waits in suspense as a bad account instead of posting anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kernel.checkdigit import is_valid, luhn_digit, printed
from services.payments.lockbox.domain import Remittance
from services.payments.lockbox.parsed import FieldInvalid, Parsed, read_int

RECORD = "4"
DIGITS = 20


@dataclass(frozen=True, slots=True)
class Scanline:
    account: str  # nine digits, check digit last
    amount_due: Decimal


def read(text: str) -> Scanline | None:
    """The scanline's fields, or None when it does not read (length, digits, check digits)."""
    digits = "".join(text.split())
    if len(digits) != DIGITS or not digits.isdigit():
        return None
    if luhn_digit(digits[:-1]) != int(digits[-1]) or not is_valid(digits[:9]):
        return None
    return Scanline(digits[:9], Decimal(int(digits[9:19])).scaleb(-2))


def account_for(account_as_read: str, text: str) -> str:
    """The account a detail posts to: its own when that is a valid number, else the
    scanline's (printed form, '10002745-7'), else what was read (suspense decides)."""
    own = "".join(account_as_read.replace("-", "").split())
    if is_valid(own) and len(own) == 9 or not text.strip():
        return account_as_read
    got = read(text)
    if got is not None:
        return printed(got.account)
    return account_as_read if account_as_read.strip() else text.strip()[:40]


def attach(out: Parsed, line: str, batch: int | None) -> None:
    """A fixed-width record 4: the scanline of the detail just before it."""
    if batch is None or not out.remittances:
        raise FieldInvalid("scanline record (4) outside a batch")
    last: Remittance = out.remittances[-1]
    if read_int(line[1:5], "batch number (2-5)") != last.batch or \
            read_int(line[5:10], "item number (6-10)") != last.item:
        raise FieldInvalid("scanline record (4) must follow its detail (6): batch and item")
    out.remittances[-1] = last._replace(
        account_as_read=account_for(last.account_as_read, line[10:]))


def record(batch: int, item: int, text: str) -> str:
    """The fixed-width record 4 for a detail's scanline (sample files, tests)."""
    return f"{RECORD}{batch:04d}{item:05d}{text}".ljust(80)
