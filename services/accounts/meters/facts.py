"""What happens to meters (recorded by the use cases, settled before commit)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.outbox import Event
from kernel.reactions import Announced
from services.accounts.meters.schemas import MeterOut


@dataclass(frozen=True)
class MeterChanged(Announced):
    """Received into stock, installed, removed (an exchange is a removal and an install)."""

    meter: MeterOut

    def event(self) -> Event:
        return Event("accounts.MeterChanged", f"meter:{self.meter.id}",
                     {"meter": self.meter.model_dump(mode="json")})


@dataclass(frozen=True)
class MeterExchanged:
    """`removed` came out and `installed` went in at the same premise on the same day: the
    service agreements read by the removed meter now read the installed one (agreements
    react; the two meters' own changes are announced as `MeterChanged`)."""

    removed: MeterOut
    installed: MeterOut
