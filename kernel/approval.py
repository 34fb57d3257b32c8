"""Who may approve a financial change (pure): the rule billing's adjustments follow, shared by
payments' transfers and refunds. Within the requester's dollar authority a change applies at
once; above it, it waits for someone else whose authority covers it. Nobody approves their own.
"""

from __future__ import annotations

from decimal import Decimal


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
