"""What the ladder hears of billing's events: only that an account's entries changed, and from
which day the change counts (`ladder_dirty`), so the next daily run recomputes what that
account has past due and leaves the rest of the district as it was. Registered after the copy's
handlers; redelivery marks again, which changes nothing."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from kernel.settings import get_settings
from services.collections.copy import domain as copy
from services.collections.ladder import repository as repo

handlers = Handlers()


@handlers.on("billing.BillIssued")
async def bill_issued(s: AsyncSession, e: InboxEvent) -> None:
    b = copy.bill_row(e.payload["bill"], e.payload.get("budget_deferral"))
    await repo.mark(s, b.account_id, b.bill_date)


@handlers.on("billing.BillCancelled")
async def bill_cancelled(s: AsyncSession, e: InboxEvent) -> None:
    p = e.payload
    await repo.mark(s, str(p["account_id"]),
                    copy.cancelled_on(p, e.occurred_at, get_settings().timezone))


@handlers.on("billing.LedgerEntryPosted")
async def ledger_entry_posted(s: AsyncSession, e: InboxEvent) -> None:
    entry = copy.entry_row(e.payload["entry"])
    await repo.mark(s, entry.account_id, entry.posted_on)
