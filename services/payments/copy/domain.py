"""Turning accounts and billing events into rows of payments' own copy (pure, no I/O).

Payments takes money against accounts it knows only from events: the account (number with its
check digit, status, holder's name, cash-only flag) from accounts, and open bills and the balance
from billing. What the counter decides on this copy, and what happens when it is behind, is in
docs/events.md ("Decisions on a copy", payments).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: str
    number: str
    customer_id: str | None
    status: str
    cash_only: bool
    mailing_address: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class BillRow:
    id: str
    account_id: str
    bill_date: date
    due_date: date
    total: Decimal


def account_row(a: dict[str, Any]) -> AccountRow:
    """`cash_only` is optional in `AccountChanged` (absent means false). `mailing_address` is
    the account's effective address (its own, else its customer's), where refund checks go."""
    return AccountRow(id=str(a["id"]), number=str(a["number"]).replace("-", "").strip(),
                      customer_id=str(a["customer_id"]) if a.get("customer_id") else None,
                      status=str(a.get("status") or "active"),
                      cash_only=a.get("cash_only") is True,
                      mailing_address=mailing_address(a.get("mailing_address")))


def customer_name(c: dict[str, Any]) -> tuple[str, str]:
    return str(c["id"]), str(c.get("name") or "")


ADDRESS_FIELDS = ("line1", "line2", "city", "state", "postal_code")


def mailing_address(v: Any) -> dict[str, str] | None:
    """Accounts' address shape `{line1, line2, city, state, postal_code}`, kept as text (None
    when the event carries none)."""
    if not isinstance(v, dict):
        return None
    return {k: str(v.get(k) or "") for k in ADDRESS_FIELDS}


def bill_row(b: dict[str, Any]) -> BillRow:
    return BillRow(id=str(b["id"]), account_id=str(b["account_id"]),
                   bill_date=date.fromisoformat(str(b["bill_date"])[:10]),
                   due_date=date.fromisoformat(str(b["due_date"])[:10]),
                   total=Decimal(str(b["total"])))


def balance_of(payload: dict[str, Any]) -> Decimal | None:
    """The balance billing announced with the event (None when it carries none)."""
    v = payload.get("balance")
    return None if v in (None, "") else Decimal(str(v))
