"""What happens to deposits (recorded by the use cases, settled before commit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kernel.outbox import Event
from kernel.reactions import Announced


@dataclass(frozen=True)
class DepositDueForRefund(Announced):
    """Accounts stopped holding the deposit: billing applies it to the account."""

    account_id: uuid.UUID
    amount: Decimal
    held_since: date
    method: str
    reason: str | None

    def event(self) -> Event:
        return Event("accounts.DepositDueForRefund", f"account:{self.account_id}", {
            "account_id": str(self.account_id), "amount": f"{self.amount:.2f}",
            "held_since": self.held_since.isoformat(), "method": self.method,
            "reason": self.reason})
