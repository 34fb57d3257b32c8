"""Billing's ledger entries as they arrive: a credit that covers an active arrangement
completes it at once (its letter and event with it), and one that covers an open promise keeps
it. Breaking waits for the daily job: it is a matter of days passing, not of an entry."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.collections.arrangements import service
from services.collections.worklists import service as worklists

handlers = Handlers()


@handlers.on("billing.LedgerEntryPosted")
async def entry_posted(s: AsyncSession, e: InboxEvent) -> None:
    entry = e.payload["entry"]
    if entry.get("amount") is None or not str(entry["amount"]).startswith("-"):
        return  # only a credit can pay an arrangement or keep a promise
    account_id = uuid.UUID(str(entry["account_id"]))
    on = date.fromisoformat(str(entry["posted_on"]))
    await service.sweep(s, on, may_break=False, account_id=account_id)
    await worklists.sweep_promises(s, on, account_id=account_id, may_break=False)
