"""Billing's entries for transfers: once its `transfer_out` is in the balance payments' copy
holds, the transfer no longer claims the account's credit on its own."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.payments.transfers import domain, service

handlers = Handlers()


@handlers.on("billing.LedgerEntryPosted")
async def ledger_entry_posted(s: AsyncSession, e: InboxEvent) -> None:
    entry = e.payload["entry"]
    if entry.get("kind") == "transfer_out":
        transfer = domain.out_reference(entry.get("reference"))
        if transfer is not None:
            await service.out_posted(s, transfer)
