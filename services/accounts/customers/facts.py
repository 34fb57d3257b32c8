"""What happens to customers and accounts (recorded by the use cases, settled before commit)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.outbox import Event
from kernel.reactions import Announced
from services.accounts.customers.schemas import AccountOut, CustomerOut


@dataclass(frozen=True)
class CustomerChanged(Announced):
    """A customer was created or changed; identity-check data is never announced."""

    customer: CustomerOut

    def event(self) -> Event:
        doc = self.customer.model_dump(mode="json", exclude={"id_kind", "id_last4"})
        return Event("accounts.CustomerChanged", f"customer:{self.customer.id}",
                     {"customer": doc})


@dataclass(frozen=True)
class AccountChanged(Announced):
    """An account was opened or changed: status, mailing preferences, the deposit held (with
    the move-in decision or the release that changed it)."""

    account: AccountOut
    deposit_decision: dict[str, str] | None = None
    deposit_release: dict[str, str] | None = None

    def event(self) -> Event:
        payload: dict[str, object] = {"account": self.account.model_dump(mode="json")}
        if self.deposit_decision is not None:
            payload["deposit_decision"] = self.deposit_decision
        if self.deposit_release is not None:
            payload["deposit_release"] = self.deposit_release
        return Event("accounts.AccountChanged", f"account:{self.account.id}", payload)
