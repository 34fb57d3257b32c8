"""Adjustment rules (pure): reason codes, dollar authority, who may approve."""

from __future__ import annotations

from decimal import Decimal

REASON_CODES = ("billing_error", "meter_error", "leak", "courtesy", "late_charge_waiver",
                "deposit", "refund", "late_charge", "other")
#: Ledger kind per reason code (money in or out of the receivable; anything else: adjustment).
KIND_OF = {"leak": "leak_credit", "late_charge": "late_charge", "deposit": "deposit",
           "refund": "refund"}


def needs_approval(amount: Decimal, requester_authority: Decimal) -> bool:
    return abs(amount) > requester_authority


def approval_refusal(approver: str, approver_authority: Decimal, requester: str,
                     amount: Decimal) -> str | None:
    """Why `approver` may not approve (None: may)."""
    if approver == requester:
        return "nobody approves their own request"
    if abs(amount) > approver_authority:
        return f"${abs(amount):.2f} is above your authority of ${approver_authority:.2f}"
    return None
