"""Transfers of misapplied payments (pure, no I/O).

A payment posted to the wrong account is not edited: the whole payment, or part of it, is moved
to the right account by a transfer, which billing posts as a `transfer_out` debit on the account
the payment was applied to and a `transfer_in` credit on the other. A payment can give away only
what is left of it: its amount, less what the processor took back (refunds, chargebacks, ACH
returns) and what other transfers (applied or waiting for approval) already claim.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Transfer:
    id: uuid.UUID
    payment_id: uuid.UUID
    receipt_number: int
    from_account_id: uuid.UUID
    from_number: str
    to_account_id: uuid.UUID
    to_number: str
    amount: Decimal
    reason: str
    status: str
    requested_by: str
    requested_role: str
    idempotency_key: str
    approved_by: str | None
    rejected_by: str | None
    rejection_reason: str | None
    transferred_on: date | None
    created_at: datetime
    decided_at: datetime | None


def remaining(payment_amount: Decimal, reversed_amount: Decimal,
              claimed: Decimal) -> Decimal:
    """What of a payment a new transfer may still move (never below zero)."""
    return max(Decimal("0.00"), payment_amount - reversed_amount - claimed)


def same_request(t: Transfer, payment_id: uuid.UUID, to_account_id: str,
                 amount: Decimal) -> bool:
    """A retry with the same Idempotency-Key must ask for the same transfer."""
    return (t.payment_id, str(t.to_account_id), t.amount) == (payment_id, to_account_id, amount)


def transferred_payload(t: Transfer) -> dict[str, Any]:
    """`payments.PaymentTransferred` (docs/events.md)."""
    return {"transfer_id": str(t.id), "payment_id": str(t.payment_id),
            "receipt_number": int(t.receipt_number),
            "from_account_id": str(t.from_account_id), "from_account_number": t.from_number,
            "to_account_id": str(t.to_account_id), "to_account_number": t.to_number,
            "amount": f"{t.amount:.2f}",
            "date": t.transferred_on.isoformat() if t.transferred_on else None,
            "reason": t.reason, "requested_by": t.requested_by, "approved_by": t.approved_by}


def receipt_line(t: Transfer, printed_to: str) -> str:
    """How a transferred payment's receipt shows the transfer."""
    return (f"${t.amount:,.2f} transferred to account {printed_to} on "
            f"{t.transferred_on.isoformat() if t.transferred_on else ''}: {t.reason}")


def out_reference(reference: str | None) -> uuid.UUID | None:
    """The transfer a billing `transfer_out` entry `transfer:<id>:out` posted (else None)."""
    if not reference or not reference.startswith("transfer:") or not reference.endswith(":out"):
        return None
    try:
        return uuid.UUID(reference[len("transfer:"):-len(":out")])
    except ValueError:
        return None
