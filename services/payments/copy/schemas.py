"""API shapes of payments' copy: what the counter sees of an account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class OpenBillOut(BaseModel):
    id: str
    bill_date: date
    due_date: date
    total: Decimal


class CounterAccount(BaseModel):
    """`balance` is billing's last announced balance (null until billing has announced one)."""

    id: str
    number: str
    name: str
    status: str
    cash_only: bool
    balance: Decimal | None
    open_bills: list[OpenBillOut]
