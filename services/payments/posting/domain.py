"""Tenders and the rules every payment obeys, wherever it is taken (pure, no I/O).

A payment is money for one account: an amount above zero in whole cents, and a tender saying
how it came. Cards and bank accounts arrive only as a processor's token, never as numbers: a
value that could be a card or bank account number is refused without being echoed back.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from kernel.errors import Unprocessable

TENDERS = ("cash", "check", "money_order", "card", "bank")
CENTS = Decimal("0.01")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_\-]{5,199}")
_LONG_DIGITS = re.compile(r"\d{7,}")
_CHECK_NUMBER = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True, slots=True)
class Tender:
    kind: str
    check_number: str | None = None
    bank: str | None = None
    money_order_number: str | None = None
    processor_token: str | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment as stored: keyed (in an open batch) or posted."""

    id: uuid.UUID
    receipt_number: int
    account_id: uuid.UUID
    account_number: str
    amount: Decimal
    tender: str
    check_number: str | None
    bank: str | None
    money_order_number: str | None
    processor_token: str | None
    received_on: date
    channel: str
    drawer_id: uuid.UUID | None
    batch_id: uuid.UUID | None
    status: str
    taken_by: str
    idempotency_key: str
    created_at: datetime
    posted_at: datetime | None


@dataclass(frozen=True, slots=True)
class TenderTotal:
    tender: str
    count: int
    total: Decimal


class LockboxLine(NamedTuple):
    """A deposited check to post to an account; `key` is the line's idempotency key.

    A tuple: a file builds 100,000 of these, and the INSERT takes them as columns."""

    key: str
    account_id: str
    account_number: str
    amount: Decimal
    check_number: str | None
    received_on: date


def money(amount: Decimal, field: str = "amount") -> Decimal:
    """A payment amount: finite, above zero, at most two places (never rounded silently)."""
    if not amount.is_finite():
        raise Unprocessable("The amount must be a number", field=field)
    if amount <= 0:
        raise Unprocessable("The amount must be above zero", field=field)
    if amount != amount.quantize(CENTS):
        raise Unprocessable("The amount has at most two decimal places", field=field)
    return amount.quantize(CENTS)


def tender(kind: str, *, check_number: str | None = None, bank: str | None = None,
           money_order_number: str | None = None,
           processor_token: str | None = None) -> Tender:
    """The tender with exactly the details its kind needs (others refused, not dropped)."""
    given = {"check_number": check_number, "bank": bank,
             "money_order_number": money_order_number, "processor_token": processor_token}
    needs: dict[str, tuple[str, ...]] = {
        "cash": (), "check": ("check_number", "bank"), "money_order": ("money_order_number",),
        "card": ("processor_token",), "bank": ("processor_token",)}
    if kind not in needs:
        raise Unprocessable(f"Tender is one of {', '.join(TENDERS)}", field="tender")
    for name, value in given.items():
        if name in needs[kind]:
            if value is None or not value.strip():
                raise Unprocessable(f"A {kind.replace('_', ' ')} payment needs {name}",
                                    field=name)
        elif value is not None:
            raise Unprocessable(f"A {kind.replace('_', ' ')} payment takes no {name}",
                                field=name)
    if check_number is not None and not _CHECK_NUMBER.fullmatch(check_number.strip()):
        raise Unprocessable("A check number is 1 to 10 digits", field="check_number")
    if money_order_number is not None and len(money_order_number.strip()) > 40:
        raise Unprocessable("A money order number has at most 40 characters",
                            field="money_order_number")
    if bank is not None and (len(bank.strip()) > 100 or _LONG_DIGITS.search(bank)):
        raise Unprocessable("The bank is its name (at most 100 characters, no account "
                            "numbers)", field="bank")
    if processor_token is not None and not is_token(processor_token):
        raise Unprocessable("Cards and bank accounts are taken only as a processor's token "
                            "(letters first, no long runs of digits); the value was not kept",
                            field="processor_token")
    return Tender(kind, check_number.strip() if check_number else None,
                  bank.strip() if bank else None,
                  money_order_number.strip() if money_order_number else None, processor_token)


def is_token(value: str) -> bool:
    """A processor token ('tok_…', 'pm_…', 'sbx_…'), not something that could be a card or
    bank account number."""
    return bool(_TOKEN.fullmatch(value)) and not _LONG_DIGITS.search(value)


def posted_payload(p: Payment) -> dict[str, Any]:
    """`payments.PaymentPosted`'s payment, in the shape billing consumes (docs/events.md): id,
    account_id, amount, received_on; the rest for other readers."""
    return {"payment": {
        "id": str(p.id), "account_id": str(p.account_id), "amount": str(p.amount),
        "received_on": p.received_on.isoformat(), "account_number": p.account_number,
        "receipt_number": int(p.receipt_number), "tender": p.tender, "channel": p.channel,
        "drawer_id": str(p.drawer_id) if p.drawer_id else None,
        "batch_id": str(p.batch_id) if p.batch_id else None,
        "idempotency_key": p.idempotency_key, "taken_by": p.taken_by}}


@dataclass(frozen=True, slots=True)
class BankDebitLine:
    """An autopay debit in the district's NACHA file, to post as a `bank` payment on the
    `autopay` channel; `key` (`autopay:{debit id}`) is its idempotency key."""

    key: str
    account_id: str
    account_number: str
    amount: Decimal
    received_on: date
