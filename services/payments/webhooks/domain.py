"""What a verified processor event does to our books (pure, no I/O).

A success posts a payment; a refund, a chargeback or an ACH return reverses (part of) it. A
reversal is keyed by the processor's idempotency key, so the two or three events a processor
sends about one refund reverse it once, and it is kept until its payment's success arrives
(processors deliver in any order): the payment then posts and is reversed in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import Any

from services.payments.processors.base import (
    AchReturned,
    MethodKind,
    PaymentDisputed,
    PaymentEvent,
    PaymentRefunded,
)


@dataclass(frozen=True, slots=True)
class Reversal:
    """A refund, chargeback or ACH return as we record it."""

    processor: str
    idempotency_key: str
    payment_ref: str
    kind: str
    amount: Decimal
    detail: dict[str, Any]
    occurred_at: datetime


def reversal(event: PaymentEvent) -> Reversal | None:
    """The reversal an event asks for; None for a success or a failure."""
    detail: dict[str, Any]
    if isinstance(event, PaymentRefunded):
        kind, detail = "refund", {"refund_id": event.refund_id}
    elif isinstance(event, PaymentDisputed):
        kind, detail = "chargeback", {"dispute_id": event.dispute_id,
                                      "dispute_reason": event.reason}
    elif isinstance(event, AchReturned):
        kind, detail = "ach_return", {"return_code": event.return_code}
    else:
        return None
    return Reversal(event.processor, event.idempotency_key, event.payment_id, kind, event.amount,
                    detail, event.occurred_at)


def tender_of(method: MethodKind | None) -> str:
    return "bank" if method is MethodKind.US_BANK_ACCOUNT else "card"


def local_date(at: datetime, zone: tzinfo) -> date:
    """The utility's date of an instant (what a payment is received on)."""
    return at.astimezone(zone).date()


def returned_payload(r: Reversal, *, payment_id: str, account_id: str,
                     on: date) -> dict[str, Any]:
    """`payments.PaymentReturned` in the shape billing consumes (docs/events.md), with a
    `return_id` naming this reversal (a payment refunded twice in part is reversed twice) and
    the processor's detail of the refund, chargeback or return."""
    return {"payment_id": payment_id, "account_id": account_id, "amount": str(r.amount),
            "date": on.isoformat(), "return_id": f"{r.processor}:{r.idempotency_key}",
            "reason": r.kind, "processor": r.processor, "processor_payment_id": r.payment_ref,
            "refund_id": r.detail.get("refund_id"), "dispute_id": r.detail.get("dispute_id"),
            "dispute_reason": r.detail.get("dispute_reason"),
            "return_code": r.detail.get("return_code")}
