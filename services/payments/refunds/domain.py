"""Refunds of an account's credit (pure, no I/O).

A refund pays out money the utility holds for the customer: a credit balance (an overpayment),
or a deposit accounts has released, which billing first applies to the account
(`deposit_applied`), so that only what is left after anything owed goes back. A refund never
exceeds the credit: billing's last announced balance, less the refunds that already claim it
(waiting, approved, or issued but not yet in billing's balance). It is checked when requested,
again at approval and again at the check-request export, since a bill or a transfer may have
used the credit in between.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")
CSV_HEADER = ("request_id", "payee_name", "address_line1", "address_line2", "city", "state",
              "postal_code", "account_number", "amount", "reason", "approved_by")


@dataclass(frozen=True, slots=True)
class Refund:
    id: uuid.UUID
    account_id: uuid.UUID
    account_number: str
    amount: Decimal
    source: str
    reason: str
    status: str
    requested_by: str
    requested_role: str
    idempotency_key: str | None
    deposit_event_id: uuid.UUID | None
    approved_by: str | None
    approved_at: datetime | None
    rejected_by: str | None
    rejection_reason: str | None
    check_request_id: uuid.UUID | None
    issued_on: date | None
    ledger_posted: bool
    voided_by: str | None
    void_reason: str | None
    voided_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One check to cut: a refund with its payee as the copy has them at export."""

    refund: Refund
    payee_name: str
    address: dict[str, str] | None


def credit(balance: Decimal | None) -> Decimal:
    """The credit an account holds: a negative balance, as a positive amount."""
    return max(ZERO, -(balance or ZERO))


def available(balance: Decimal | None, claimed: Decimal) -> Decimal:
    """Credit not yet claimed by other refunds (never below zero)."""
    return max(ZERO, credit(balance) - claimed)


def deposit_refund(deposit: Decimal, balance: Decimal | None, claimed: Decimal) -> Decimal:
    """A released deposit refunds what of it is still a credit once billing applied it: all
    of it when nothing was owed, the rest when a balance was, nothing when it all went to the
    balance. Any other credit the account holds is refunded on its own request."""
    return min(deposit, available(balance, claimed))


def fits(refunds: list[tuple[uuid.UUID, str, Decimal]], balances: dict[str, Decimal],
         claimed: dict[str, Decimal]) -> list[tuple[uuid.UUID, str, Decimal, Decimal]]:
    """Refunds (id, account id, amount), in order, against each account's credit: those that
    no longer fit, with the credit that was left for them."""
    used: dict[str, Decimal] = {}
    over = []
    for rid, account_id, amount in refunds:
        left = available(balances.get(account_id), claimed.get(account_id, ZERO)
                         + used.get(account_id, ZERO))
        if amount > left:
            over.append((rid, account_id, amount, left))
        else:
            used[account_id] = used.get(account_id, ZERO) + amount
    return over


def check_request_csv(lines: list[CheckLine]) -> str:
    """The accounts-payable file: one row per check to cut (docs/payments.md)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for ln in lines:
        a = ln.address or {}
        r = ln.refund
        w.writerow((str(r.id), ln.payee_name, a.get("line1", ""), a.get("line2", ""),
                    a.get("city", ""), a.get("state", ""), a.get("postal_code", ""),
                    r.account_number, f"{r.amount:.2f}", r.reason, r.approved_by or ""))
    return buf.getvalue()


def issued_payload(r: Refund, on: date, check_request_id: uuid.UUID) -> dict[str, Any]:
    """`payments.RefundIssued` (docs/events.md)."""
    return {"refund_id": str(r.id), "account_id": str(r.account_id),
            "account_number": r.account_number, "amount": f"{r.amount:.2f}",
            "date": on.isoformat(), "source": r.source, "reason": r.reason,
            "requested_by": r.requested_by, "approved_by": r.approved_by,
            "check_request_id": str(check_request_id)}


def voided_payload(r: Refund, on: date, reason: str) -> dict[str, Any]:
    """`payments.RefundVoided` (docs/events.md)."""
    return {"refund_id": str(r.id), "account_id": str(r.account_id),
            "amount": f"{r.amount:.2f}", "date": on.isoformat(), "reason": reason,
            "check_request_id": str(r.check_request_id) if r.check_request_id else None}


def refund_reference(reference: str | None) -> uuid.UUID | None:
    """The refund a billing entry `refund:<id>` posted (None for any other reference)."""
    if not reference or not reference.startswith("refund:"):
        return None
    try:
        return uuid.UUID(reference[len("refund:"):])
    except ValueError:
        return None


def deposit_reference(reference: str | None) -> uuid.UUID | None:
    """The accounts event a billing `deposit_applied` entry `deposit:<event id>` applied."""
    if not reference or not reference.startswith("deposit:"):
        return None
    try:
        return uuid.UUID(reference[len("deposit:"):])
    except ValueError:
        return None
