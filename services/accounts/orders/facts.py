"""What happens to service orders (recorded by the use cases, settled before commit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from kernel.outbox import Event
from kernel.reactions import Announced
from services.accounts.orders.schemas import OrderOut


@dataclass(frozen=True)
class _OrderFact(Announced):
    order: OrderOut
    name: ClassVar[str]

    def event(self) -> Event:
        o = self.order
        key = f"account:{o.account_id}" if o.account_id else f"premise:{o.premise_id}"
        return Event(f"accounts.{self.name}", key, {"service_order": o.model_dump(mode="json")})


@dataclass(frozen=True)
class ServiceOrderCreated(_OrderFact):
    name: ClassVar[str] = "ServiceOrderCreated"


@dataclass(frozen=True)
class ServiceOrderDispatched(_OrderFact):
    name: ClassVar[str] = "ServiceOrderDispatched"


@dataclass(frozen=True)
class ServiceOrderCompleted(_OrderFact):
    """Completed with its read; a final-read order (`final_for_sa_ids`) ends its agreements'
    billing (`ClosingBillRequested`) and, with them the last, the account."""

    name: ClassVar[str] = "ServiceOrderCompleted"


@dataclass(frozen=True)
class ServiceOrderCancelled(_OrderFact):
    name: ClassVar[str] = "ServiceOrderCancelled"


@dataclass(frozen=True)
class ClosingBillRequested(Announced):
    """A final read was recorded: billing makes the closing bill of these agreements."""

    order: OrderOut

    def event(self) -> Event:
        o = self.order
        return Event("accounts.ClosingBillRequested", f"account:{o.account_id}", {
            "account_id": str(o.account_id),
            "service_agreement_ids": [str(i) for i in o.final_for_sa_ids],
            "final_reads": [o.read.model_dump(mode="json")] if o.read else [],
            "stop_date": o.stop_date.isoformat() if o.stop_date else None,
            "service_order_id": str(o.id),
        })
