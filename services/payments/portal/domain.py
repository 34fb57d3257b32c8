"""The customer's view of their account and the rules of a payment they start (pure, no I/O).

A customer pays on the processor's hosted page or with a saved method; either way the money
posts when the processor's webhook arrives (channel `processor`), so a retry of the request must
ask the processor for the same payment: the processor's idempotency key is derived from who
asked and their `Idempotency-Key`, never drawn at random.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from kernel.errors import Unprocessable

CENTS = Decimal("0.01")
#: Namespace of the ids of portal payments (uuid5 of who asked and their Idempotency-Key).
_NAMESPACE = uuid.UUID("6b1f0a5e-3c55-4f0e-9d0e-5f2a0c1d7e41")
#: The most one portal payment takes: a mistyped amount is refused, not charged.
MAX_AMOUNT = Decimal("100000.00")


def payment_id(requested_by: str, idempotency_key: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{requested_by}\n{idempotency_key}")


def processor_key(portal_payment_id: uuid.UUID) -> str:
    return f"portal:{portal_payment_id}"


def amount(value: Decimal) -> Decimal:
    if not value.is_finite() or value <= 0:
        raise Unprocessable("The amount must be above zero", field="amount")
    if value != value.quantize(CENTS):
        raise Unprocessable("The amount has at most two decimal places", field="amount")
    if value > MAX_AMOUNT:
        raise Unprocessable(f"A portal payment is at most {MAX_AMOUNT}", field="amount")
    return value.quantize(CENTS)


def return_path(value: str, field: str) -> str:
    """Where the processor's page sends the customer back: a path on our own site (an
    absolute or scheme-relative URL would make the page an open redirect)."""
    v = value.strip()
    if (not v.startswith("/") or v.startswith("//") or "\\" in v or len(v) > 500
            or any(ord(c) < 0x21 for c in v)):
        raise Unprocessable("A return address is a path on this site, starting with /",
                            field=field)
    return v


def amount_due(balance: Decimal | None) -> Decimal:
    """What the customer owes now: the balance when above zero, else nothing (a credit)."""
    return balance if balance is not None and balance > 0 else Decimal("0.00")


def due_date(open_due_dates: list[date], balance: Decimal | None) -> date | None:
    """The earliest open bill's due date while anything is owed."""
    if not open_due_dates or amount_due(balance) == 0:
        return None
    return min(open_due_dates)


def history_status(amount: Decimal, returned: Decimal) -> str:
    if returned <= 0:
        return "posted"
    return "returned" if returned >= amount else "partly_returned"
