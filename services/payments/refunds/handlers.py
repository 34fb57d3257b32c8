"""Events refunds reacts to: accounts' deposit release and billing's entries.

`billing.LedgerEntryPosted` is also the copy's event (the balance): the app merges these
handlers after the copy's, so the kernel runs the copy's first, in the same transaction, and a
refund is sized on the balance the entry announced.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.payments.refunds import domain, service

handlers = Handlers()


@handlers.on("accounts.DepositDueForRefund")
async def deposit_due_for_refund(s: AsyncSession, e: InboxEvent) -> None:
    """Keyed by the accounts event's id, the same id billing's `deposit_applied` entry names
    (`deposit:<event id>`)."""
    p = e.payload
    await service.deposit_released(s, e.event_id, uuid.UUID(str(p["account_id"])),
                                   Decimal(str(p["amount"])), str(p.get("method") or "credit"),
                                   p.get("reason"))


@handlers.on("billing.LedgerEntryPosted")
async def ledger_entry_posted(s: AsyncSession, e: InboxEvent) -> None:
    entry = e.payload["entry"]
    kind, ref = entry.get("kind"), entry.get("reference")
    if kind == "deposit_applied":
        deposit = domain.deposit_reference(ref)
        if deposit is not None:
            await service.deposit_applied(s, deposit, uuid.UUID(str(entry["account_id"])),
                                          uuid.UUID(str(entry["id"])))
    elif kind == "refund":
        refund = domain.refund_reference(ref)
        if refund is not None:
            await service.refund_posted(s, refund)
