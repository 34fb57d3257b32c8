"""Bank accounts for autopay: validated on entry, encrypted at rest, shown masked.

A bank account number is as sensitive as a card number (anyone holding it with the routing number
can originate a debit), so it never sits in a table, an event or a log in the clear. The payments
service keeps only the `encrypt` token and the masked form; it decrypts when it writes a NACHA file
and nowhere else.

Keys come from configuration (`TAPLINE_BANK_KEYS`): several may be given, the first (newest)
encrypts, any of them decrypts, and each token names the key that made it, so keys rotate without a
flag day: add a new key in front, re-encrypt the stored tokens with `rotate` (a background job of
the payments service, to be wired with its enrolment table), then drop the old key. Without the
setting, a key is generated once into the data directory for `make run`, like the JWT keys.

Wired next: payments' autopay enrolment (table with the token, masked number, routing, type).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kernel.errors import Unprocessable
from kernel.keys import local_secret_file
from kernel.settings import Settings

#: ABA weights 3-7-1 over the nine digits; the weighted sum is a multiple of ten.
_ABA_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7, 1)
#: The first two digits of a routing number name a Federal Reserve district (01-12), a thrift
#: (21-32), or an electronic/government number (61-72, 80). Anything else is not a bank.
_ROUTING_PREFIXES = frozenset(
    [*range(0, 13), *range(21, 33), *range(61, 73), 80]
)
_TOKEN_VERSION = "b1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_NONCE_BYTES = 12


class AccountType(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"


class InvalidRoutingNumber(Unprocessable):
    code, title = "routing-number-invalid", "Routing number is not valid"


class InvalidBankAccountNumber(Unprocessable):
    code, title = "bank-account-number-invalid", "Bank account number is not valid"


class BankKeyError(RuntimeError):
    """The configured keys are missing or malformed: an operator's mistake, not a client's."""


class UndecryptableBankAccount(RuntimeError):
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


@dataclass(frozen=True)
class BankKeyring:
    """AES-256-GCM keys by id; the first encrypts, all decrypt.

    A token is `b1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`. The key id and the caller's
    `context` (e.g. the enrolment id) are authenticated data: a token moved to another row, or
    relabelled with another key id, fails to decrypt instead of yielding someone's account.
    """

    keys: tuple[tuple[str, bytes], ...] = field(repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise BankKeyError("no bank account key configured")
        ids = [kid for kid, _ in self.keys]
        if len(set(ids)) != len(ids):
            raise BankKeyError("bank account key ids must be unique")
        for kid, key in self.keys:
            if not _KEY_ID.match(kid):
                raise BankKeyError(f"bank account key id {kid!r}: 1-32 of A-Z a-z 0-9 _ -")
            if len(key) != 32:
                raise BankKeyError(f"bank account key {kid!r} must be 32 bytes (AES-256)")

    def __repr__(self) -> str:
        return f"BankKeyring(key_ids={[kid for kid, _ in self.keys]})"

    @property
    def current_key_id(self) -> str:
        return self.keys[0][0]

    @classmethod
    def parse(cls, spec: str) -> BankKeyring:
        """`id:base64key[,id:base64key…]`, newest first (the form of TAPLINE_BANK_KEYS)."""
        keys: list[tuple[str, bytes]] = []
        for part in spec.replace("\n", ",").split(","):
            part = part.strip()
            if not part:
                continue
            kid, sep, encoded = part.partition(":")
            if not sep:
                raise BankKeyError("each bank account key is written id:base64key")
            try:
                key = base64.urlsafe_b64decode(_padded(encoded.strip()))
            except (binascii.Error, ValueError) as exc:
                raise BankKeyError(f"bank account key {kid.strip()!r} is not base64") from exc
            keys.append((kid.strip(), key))
        return cls(tuple(keys))

    @staticmethod
    def generate_key() -> str:
        """A new key in the configuration's base64 form (for `id:` + this)."""
        return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()

    def key_id_of(self, token: str) -> str:
        version, kid, _ = _split(token)
        return kid

    def encrypt(self, account_number: str, *, context: str = "") -> str:
        kid, key = self.keys[0]
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, account_number.encode(), _aad(kid, context))
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{_TOKEN_VERSION}.{kid}.{body}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        _, kid, body = _split(token)
        key = dict(self.keys).get(kid)
        if key is None:
            raise UndecryptableBankAccount(f"bank account key {kid!r} is not configured")
        try:
            raw = base64.urlsafe_b64decode(_padded(body))
            plain = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _aad(kid, context))
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise UndecryptableBankAccount("bank account token does not authenticate") from exc
        return plain.decode()

    def needs_rotation(self, token: str) -> bool:
        return self.key_id_of(token) != self.current_key_id

    def rotate(self, token: str, *, context: str = "") -> str:
        """The same account number under the newest key (unchanged if already under it)."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, context=context), context=context)


def _aad(kid: str, context: str) -> bytes:
    return f"tapline.bank-account|{_TOKEN_VERSION}|{kid}|{context}".encode()


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != _TOKEN_VERSION or not _KEY_ID.match(parts[1]):
        raise UndecryptableBankAccount("not a bank account token")
    return parts[0], parts[1], parts[2]


def _padded(b64: str) -> str:
    return b64 + "=" * (-len(b64) % 4)


def bank_keys_file(settings: Settings) -> Path:
    return settings.keys_dir / "bank-keys"


def bank_keyring(settings: Settings) -> BankKeyring:
    """The configured keyring; without `TAPLINE_BANK_KEYS`, one generated into the data dir.

    The generated file is created atomically and never replaced, so two processes starting at
    once agree on one key (the loser of the race reads the winner's file).
    """
    if settings.bank_keys:
        return BankKeyring.parse(settings.bank_keys.get_secret_value())
    return BankKeyring.parse(local_secret_file(
        settings, bank_keys_file(settings).name, lambda: f"k1:{BankKeyring.generate_key()}\n"))
