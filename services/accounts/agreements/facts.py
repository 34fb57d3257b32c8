"""What happens to service agreements and the move-in / move-out workflows (recorded by the use
cases, settled before commit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from kernel.outbox import Event
from kernel.reactions import Announced
from services.accounts.agreements.schemas import DepositDecisionOut, SAOut
from services.accounts.premises.schemas import PremiseOut


@dataclass(frozen=True)
class _AgreementFact(Announced):
    """One agreement's new state, keyed by its account; `reason` says why when it is not the
    plain workflow (new_occupant, owner_reversion, rate_class, meter_exchange)."""

    sa: SAOut
    reason: str | None = None
    reverted_from_account_id: uuid.UUID | None = None
    name: ClassVar[str]

    def event(self) -> Event:
        payload: dict[str, object] = {"service_agreement": self.sa.model_dump(mode="json")}
        if self.reason is not None:
            payload["reason"] = self.reason
        if self.reverted_from_account_id is not None:
            payload["reverted_from_account_id"] = str(self.reverted_from_account_id)
        return Event(f"accounts.{self.name}", f"account:{self.sa.account_id}", payload)


@dataclass(frozen=True)
class ServiceStarted(_AgreementFact):
    name: ClassVar[str] = "ServiceStarted"


@dataclass(frozen=True)
class ServiceStopped(_AgreementFact):
    name: ClassVar[str] = "ServiceStopped"


@dataclass(frozen=True)
class ServiceAgreementChanged(_AgreementFact):
    name: ClassVar[str] = "ServiceAgreementChanged"


@dataclass(frozen=True)
class ServiceTransferred(Announced):
    """An account moved within the district: announced once, not as separate stops and starts."""

    account_id: uuid.UUID
    stopped: list[SAOut]
    started: list[SAOut]
    from_premise_id: uuid.UUID
    to_premise_id: uuid.UUID

    def event(self) -> Event:
        return Event("accounts.ServiceTransferred", f"account:{self.account_id}", {
            "stopped": [s.model_dump(mode="json") for s in self.stopped],
            "started": [s.model_dump(mode="json") for s in self.started],
            "from_premise_id": str(self.from_premise_id),
            "to_premise_id": str(self.to_premise_id)})


@dataclass(frozen=True)
class MovedIn:
    """A move-in started service for the account at the premise. The welcome letter follows,
    kept under `letter_id`: the workflow answers with that id before the letter is rendered."""

    account_id: uuid.UUID
    premise: PremiseOut
    start_date: date
    deposit: DepositDecisionOut
    today: date
    letter_id: uuid.UUID


@dataclass(frozen=True)
class MovedOut:
    """A move-out stopped the account's service; `premise` is the first of the premises it
    left. The closing letter follows, kept under `letter_id`."""

    account_id: uuid.UUID
    premise: PremiseOut
    stop_date: date
    today: date
    letter_id: uuid.UUID
