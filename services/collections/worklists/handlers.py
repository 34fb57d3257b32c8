"""Each premise's billing cycle from accounts' PremiseChanged (the copy's premises do not keep
it), so the call list can be worked cycle by cycle. An upsert: replays change nothing."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.collections.worklists import domain
from services.collections.worklists import repository as repo

handlers = Handlers()


@handlers.on("accounts.PremiseChanged")
async def premise_changed(s: AsyncSession, e: InboxEvent) -> None:
    p = e.payload["premise"]
    await repo.upsert_cycle(s, str(p["id"]), domain.cycle_of(p))
