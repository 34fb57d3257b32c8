"""API shapes of payments' copy: what the counter sees of an account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel


class OpenBillOut(BaseModel):
    id: str
    bill_date: date
    due_date: date
    total: Decimal


class CounterAccount(BaseModel):
    """`balance` is billing's last announced balance (null until billing has announced one).
    `cash_only`: checks and bank payments are refused, because of returned payments or a
    supervisor's flag (`cash_only_reason` `returns`/`manual`, `cash_only_until`: null means
    until cleared) or accounts' own flag (`accounts`)."""

    id: str
    number: str
    name: str
    status: str
    cash_only: bool
    cash_only_reason: str | None = None
    cash_only_since: date | None = None
    cash_only_until: date | None = None
    balance: Decimal | None
    open_bills: list[OpenBillOut]


class RebuildRequest(BaseModel):
    """`local`: payments' stored events are applied again (no relay needed); `relay`: they are
    deleted too, and the operator rewinds the relay (`tapline events rewind payments --source
    accounts`, then `--source billing`)."""

    mode: Literal["local", "relay"] = "local"


