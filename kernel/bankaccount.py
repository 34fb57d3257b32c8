"""Bank accounts for autopay: validated on entry, encrypted at rest, shown masked.

A bank account number is as sensitive as a card number (anyone holding it with the routing number
can originate a debit), so it never sits in a table, an event or a log in the clear. The payments
service keeps only the `encrypt` token and the masked form; it decrypts when it writes a NACHA file
and nowhere else.

Keys come from configuration (`TAPLINE_BANK_KEYS`): several may be given, the first (newest)
encrypts, any of them decrypts, and each token names the key that made it, so keys rotate without a
flag day: add a new key in front, re-encrypt the stored tokens (payments' bank-key rotation),
then drop the old key. Without the setting, a key is generated once into the data directory for
`make run`, like the JWT keys. The sealing itself is `kernel.sealing`'s, shared with other secrets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from kernel.errors import Unprocessable
from kernel.sealing import Keyring, SealingKeyError, Unsealable
from kernel.settings import Settings

#: ABA weights 3-7-1 over the nine digits; the weighted sum is a multiple of ten.
_ABA_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7, 1)
#: The first two digits of a routing number name a Federal Reserve district (01-12), a thrift
#: (21-32), or an electronic/government number (61-72, 80). Anything else is not a bank.
_ROUTING_PREFIXES = frozenset(
    [*range(0, 13), *range(21, 33), *range(61, 73), 80]
)


class AccountType(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"


class InvalidRoutingNumber(Unprocessable):
    code, title = "routing-number-invalid", "Routing number is not valid"


class InvalidBankAccountNumber(Unprocessable):
    code, title = "bank-account-number-invalid", "Bank account number is not valid"


class BankKeyError(SealingKeyError):
    """The configured keys are missing or malformed: an operator's mistake, not a client's."""


class UndecryptableBankAccount(Unsealable):
    """A token made with a key no longer configured, or altered: never guess, never log it."""


def routing_checksum_ok(routing: str) -> bool:
    """The ABA check: 3·d1 + 7·d2 + d3 + 3·d4 + 7·d5 + d6 + 3·d7 + 7·d8 + d9 ≡ 0 (mod 10)."""
    if len(routing) != 9 or not routing.isascii() or not routing.isdigit():
        return False
    return sum(w * int(d) for w, d in zip(_ABA_WEIGHTS, routing, strict=True)) % 10 == 0


def validate_routing_number(routing: str) -> str:
    """The routing number, or a 422 naming the field. Spaces around it are forgiven."""
    value = routing.strip()
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        raise InvalidRoutingNumber("A routing number is 9 digits.", field="routing_number")
    if int(value[:2]) not in _ROUTING_PREFIXES:
        raise InvalidRoutingNumber(
            "This routing number does not belong to a US bank.", field="routing_number"
        )
    if not routing_checksum_ok(value):
        raise InvalidRoutingNumber(
            "This routing number's check digit is wrong: please check it against a check.",
            field="routing_number",
        )
    return value


def validate_account_number(number: str) -> str:
    """4 to 17 digits (the NACHA field is 17 wide); spaces and dashes as printed are dropped."""
    value = re.sub(r"[\s-]", "", number)
    if not value.isascii() or not value.isdigit():
        raise InvalidBankAccountNumber(
            "A bank account number has only digits.", field="account_number"
        )
    if not 4 <= len(value) <= 17:
        raise InvalidBankAccountNumber(
            "A bank account number has 4 to 17 digits.", field="account_number"
        )
    if set(value) == {"0"}:
        raise InvalidBankAccountNumber(
            "A bank account number is not all zeros.", field="account_number"
        )
    return value


def mask(number: str) -> str:
    """For display and logs: only the last four digits ('****6789'); short numbers show two."""
    digits = re.sub(r"\D", "", number)
    shown = 4 if len(digits) > 6 else 2
    return "*" * 4 + digits[-shown:] if digits else ""


@dataclass(frozen=True)
class BankAccount:
    """A validated bank account. Its repr shows the masked number only."""

    routing_number: str
    account_number: str = field(repr=False)
    account_type: AccountType = AccountType.CHECKING

    @classmethod
    def parse(
        cls, routing_number: str, account_number: str, account_type: str = "checking"
    ) -> BankAccount:
        return cls(
            validate_routing_number(routing_number),
            validate_account_number(account_number),
            AccountType(account_type),
        )

    @property
    def masked(self) -> str:
        return mask(self.account_number)

    def __str__(self) -> str:
        return f"{self.account_type} {self.masked} at {self.routing_number}"


class BankKeyring(Keyring):
    """Bank account numbers sealed at rest (`kernel.sealing`); the caller's `context` is the
    enrolment id, so a token moved to another enrolment does not open."""

    purpose: ClassVar[str] = "bank-account"
    version: ClassVar[str] = "b1"
    key_error: ClassVar[type[SealingKeyError]] = BankKeyError
    unsealable: ClassVar[type[Unsealable]] = UndecryptableBankAccount


def bank_keys_file(settings: Settings) -> Path:
    return settings.keys_dir / "bank-keys"


def bank_keyring(settings: Settings) -> BankKeyring:
    """The configured keyring; without `TAPLINE_BANK_KEYS`, one generated into the data dir."""
    spec = settings.bank_keys.get_secret_value() if settings.bank_keys else None
    return BankKeyring.configured(settings, spec, bank_keys_file(settings).name)
