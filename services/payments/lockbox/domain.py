"""Lockbox rules (no I/O): what a payment line is, when it posts, when it waits in suspense.

The bank's lockbox file (docs/lockbox.md) is read by `reader.read_lockbox`, which hands every
detail line here as a `Remittance`. This module decides, line by line, whether the payment can
post to an account (the stub's account number passes its check digit and the account is open in
payments' copy) or waits in suspense for staff, and gives each line an idempotency key that is
the same however often the bank re-sends the file.

The import use case (service.py) stores `LockboxFile.identity` with unique constraints on
`content_hash`, `fingerprint` and `bank_key`, and asks `compare` what an earlier match means
(duplicate: answer with the first import; conflict: refuse); it looks up `candidate_accounts`
in its copy of accounts, passes the open ones to `classify`, posts the `split` lines to post
with their `idempotency_key`, and files the others in the suspense queue with their `reason`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from kernel.checkdigit import is_valid
from kernel.errors import FieldError, Problem, Unprocessable

CENT = Decimal("0.01")
ZERO = Decimal(0)
# Files larger than this are refused before a line is read: a lockbox day of a large district is
# a few thousand checks; 250,000 lines (20 MB fixed-width) is far beyond any real one.
MAX_BYTES = 32 * 1024 * 1024
MAX_DETAILS = 250_000
# A refusal names at most this many bad lines: enough to fix the file, not a second copy of it.
MAX_REPORTED = 50


class Layout(StrEnum):
    FIXED = "fixed"
    CSV = "csv"


class Disposition(StrEnum):
    POST = "post"
    SUSPENSE = "suspense"


POST, SUSPENSE = Disposition.POST, Disposition.SUSPENSE


class SuspenseReason(StrEnum):
    """Why a deposited payment could not be applied; staff resolve it to an account or return it."""

    NO_ACCOUNT = "no-account"  # the stub was missing or not captured
    ACCOUNT_FORMAT = "account-format"  # not nine digits (with an optional hyphen before the last)
    BAD_CHECK_DIGIT = "bad-check-digit"  # nine digits whose Luhn check digit fails: misread
    ACCOUNT_NOT_OPEN = "account-not-open"  # valid number, but no open account in our copy
    ZERO_AMOUNT = "zero-amount"
    NEGATIVE_AMOUNT = "negative-amount"
    SUB_CENT_AMOUNT = "sub-cent-amount"  # more than two decimal places


# ---- refusals: the whole file is refused, nothing is written ----------------------------------


class LockboxTooLarge(Problem):
    """The file exceeds the byte or line limit; refused before or while reading it."""

    status, code, title = 413, "lockbox-too-large", "Lockbox file too large"


class LockboxMalformed(Unprocessable):
    """Lines that are not what the layout says; `errors` names each by line number."""

    code, title = "lockbox-malformed", "Lockbox file malformed"


class LockboxTotalsMismatch(Unprocessable):
    """A batch or file trailer's count or total disagrees with the details it closes."""

    code, title = "lockbox-totals-mismatch", "Lockbox totals do not match"


class LineErrors:
    """Collects bad lines while reading, so one refusal names all of them (up to a limit)."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.count = 0

    def add(self, line_no: int, message: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(FieldError(field=f"line {line_no}", message=message))

    def raise_if_any(self, kind: type[Problem] = LockboxMalformed) -> None:
        if self.count:
            more = self.count - len(self.errors)
            detail = f"{self.count} bad line(s) in the lockbox file; nothing was imported"
            if more > 0:
                detail += f" (the first {len(self.errors)} are listed)"
            raise kind(detail, errors=self.errors)


# ---- what the parser hands over -----------------------------------------------------------------


class Remitter(NamedTuple):
    """The check's MICR line, reduced: the full bank account number never leaves the parser.

    `key` is a keyed BLAKE2b hash of routing + account under the district's secret, so staff
    can see that two checks came from the same bank account (repeat remitters, suspense
    suggestions) without anyone being able to recover the number from it.
    """

    routing: str
    last4: str
    key: str


def reduce_remitter(routing: str, account: str, secret: bytes) -> Remitter | None:
    routing, account = routing.strip(), account.strip()
    if not account:
        return None
    digits = account if account.isdigit() else "".join(ch for ch in account if ch.isdigit())
    if len(secret) > 64:  # BLAKE2b takes keys of up to 64 bytes
        secret = hashlib.sha512(secret).digest()
    key = hashlib.blake2b(f"{routing}:{digits}".encode(), key=secret, digest_size=16).hexdigest()
    return Remitter(routing=routing, last4=digits[-4:], key=key)


class Remittance(NamedTuple):
    """One detail line as read, before any business decision. Same for both layouts."""

    line_no: int
    batch: int
    item: int
    deposit_date: date
    account_as_read: str
    amount: Decimal
    check_number: str
    remitter: Remitter | None


@dataclass(frozen=True, slots=True)
class BatchTotals:
    batch: int
    lockbox: str
    deposit_date: date
    count: int
    total: Decimal


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """What makes a lockbox file the same file again; the import stores all three.

    - `content_hash`: the file's lines with line endings and trailing blanks normalised — the
      exact same file, even without a file id;
    - `fingerprint`: the checks themselves (batch, item, deposit date, account, amount, check
      number, remitter's routing and last four), whatever the layout or header: the same
      deposit re-sent as CSV, or under a new transmission id, has the same fingerprint. It is the
      basis of every line's idempotency key;
    - `bank_key`: the bank's own name for the file (origin, file id, creation date), when given.
    """

    origin: str
    destination: str
    file_id: str
    created: date
    content_hash: str
    fingerprint: str

    @property
    def bank_key(self) -> str | None:
        if not self.file_id:
            return None
        return f"{self.origin}:{self.file_id}:{self.created.isoformat()}"


def detail_token(r: Remittance) -> bytes:
    """A detail line's canonical form for the fingerprint (layout-independent: both parsers
    give whole-cent amounts two places, so `str` of the amount is the same for both)."""
    number, _ = normalise_account(r.account_as_read)
    account = number if number is not None else r.account_as_read.strip()
    micr = f"{r.remitter.routing}/{r.remitter.last4}" if r.remitter else ""
    return (f"{r.batch}|{r.item}|{r.deposit_date}|{account}|{r.amount}"
            f"|{r.check_number}|{micr}\n").encode()


class Resend(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"  # the same file again: import nothing, answer with the first import
    CONFLICT = "conflict"  # the bank re-used a file id for other checks: refuse, ask the bank


def compare(prior: FileIdentity | None, new: FileIdentity) -> Resend:
    """How an import treats a file when it finds `prior`, an earlier import that shares its
    content hash, fingerprint or bank key (each a unique column of the import table)."""
    if prior is None:
        return Resend.NEW
    if prior.content_hash == new.content_hash or prior.fingerprint == new.fingerprint:
        return Resend.DUPLICATE
    if new.bank_key is not None and prior.bank_key == new.bank_key:
        return Resend.CONFLICT
    return Resend.NEW


@dataclass(frozen=True, slots=True)
class LockboxFile:
    """A whole file that passed every structural check: counts and totals tie out."""

    layout: Layout
    identity: FileIdentity
    batches: tuple[BatchTotals, ...]
    remittances: tuple[Remittance, ...]
    count: int
    total: Decimal


# ---- classification -----------------------------------------------------------------------------


class LockboxPayment(NamedTuple):
    """A line with its decision and its idempotency key; what the import stores and posts.

    `account` is the nine-digit number (no hyphen) when it passed its check digit, else None.
    """

    idempotency_key: str
    line_no: int
    batch: int
    item: int
    deposit_date: date
    account_as_read: str
    account: str | None
    amount: Decimal
    check_number: str
    remitter: Remitter | None
    disposition: Disposition
    reason: SuspenseReason | None


def line_key(fingerprint: str, batch: int, item: int) -> str:
    """Batch and item identify a check within the bank's file; line numbers could shift."""
    return f"lockbox:{fingerprint}:{batch}:{item}"


@lru_cache(maxsize=1 << 16)
def normalise_account(as_read: str) -> tuple[str | None, SuspenseReason | None]:
    """The stub prints '10002745-7'; banks send it with or without the hyphen and spaces.

    Cached: a district's file repeats its accounts, and the check digit is the costly part."""
    text = as_read.replace(" ", "")
    if not text:
        return None, SuspenseReason.NO_ACCOUNT
    if len(text) == 10 and text[8] == "-":
        text = text[:8] + text[9]
    if len(text) != 9 or not text.isdigit():
        return None, SuspenseReason.ACCOUNT_FORMAT
    if not is_valid(text):
        return None, SuspenseReason.BAD_CHECK_DIGIT
    return text, None


def amount_problem(amount: Decimal) -> SuspenseReason | None:
    if amount > ZERO:
        if amount == amount.quantize(CENT):
            return None
        return SuspenseReason.SUB_CENT_AMOUNT
    return SuspenseReason.ZERO_AMOUNT if amount == ZERO else SuspenseReason.NEGATIVE_AMOUNT


def candidate_accounts(file: LockboxFile) -> set[str]:
    """The numbers worth looking up: an async caller queries its copy with these first."""
    found = set()
    for r in file.remittances:
        number, _ = normalise_account(r.account_as_read)
        if number is not None:
            found.add(number)
    return found


OpenAccounts = AbstractSet[str] | Callable[[str], bool]


def classify(file: LockboxFile, open_accounts: OpenAccounts) -> list[LockboxPayment]:
    """Every line of the file, in file order, each to post or to suspense with its reason.

    `open_accounts` is the set of open account numbers (from `candidate_accounts`, looked up
    in payments' copy of accounts) or a predicate over a number.
    """
    is_open = open_accounts.__contains__ if isinstance(open_accounts, AbstractSet) \
        else open_accounts
    fp = file.identity.fingerprint
    out: list[LockboxPayment] = []
    for r in file.remittances:
        number, reason = normalise_account(r.account_as_read)
        reason = amount_problem(r.amount) or reason
        if reason is None and number is not None and not is_open(number):
            reason = SuspenseReason.ACCOUNT_NOT_OPEN
        out.append(LockboxPayment(  # positional: a 100,000-line file builds 100,000 of these
            line_key(fp, r.batch, r.item), r.line_no, r.batch, r.item, r.deposit_date,
            r.account_as_read, number, r.amount, r.check_number, r.remitter,
            SUSPENSE if reason else POST, reason))
    return out


def split(payments: Iterable[LockboxPayment]) -> tuple[list[LockboxPayment], list[LockboxPayment]]:
    """(to post, in suspense)."""
    post: list[LockboxPayment] = []
    held: list[LockboxPayment] = []
    for p in payments:
        (post if p.disposition is Disposition.POST else held).append(p)
    return post, held
