"""What happens to rebate applications (recorded by the use cases, settled before commit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kernel.outbox import Event
from kernel.reactions import Announced


@dataclass(frozen=True)
class RebateApproved(Announced):
    """An application approved: billing credits `amount` to the account when `payment` is
    `credit` (a check is paid by accounts payable from the check request list). `letter_id`
    names the approval letter the letters reaction sends."""

    application_id: uuid.UUID
    account_id: uuid.UUID
    premise_id: uuid.UUID
    programme: str
    units: Decimal
    amount: Decimal
    payment: str
    approved_on: date
    requested_by: str
    approved_by: str
    letter_id: uuid.UUID

    def event(self) -> Event:
        return Event("accounts.RebateApproved", f"account:{self.account_id}", {
            "application_id": str(self.application_id), "account_id": str(self.account_id),
            "premise_id": str(self.premise_id), "programme": self.programme,
            "units": str(self.units), "amount": f"{self.amount:.2f}", "payment": self.payment,
            "approved_on": self.approved_on.isoformat(), "requested_by": self.requested_by,
            "approved_by": self.approved_by})


@dataclass(frozen=True)
class RebateDenied:
    """An application denied (at intake, as ineligible, or by staff): the letter says why."""

    application_id: uuid.UUID
    account_id: uuid.UUID
    programme: str
    reason: str
    denied_on: date
    letter_id: uuid.UUID
