"""What happens to premises (recorded by the use cases, settled before commit)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.outbox import Event
from kernel.reactions import Announced
from services.accounts.premises.schemas import PremiseOut


@dataclass(frozen=True)
class PremiseChanged(Announced):
    premise: PremiseOut

    def event(self) -> Event:
        return Event("accounts.PremiseChanged", f"premise:{self.premise.id}",
                     {"premise": self.premise.model_dump(mode="json")})
