"""Billing's bills keep the copy of bill totals a registration proof is checked against.
Upserts by bill id, so a redelivered or replayed event changes nothing."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.accounts.portal import domain, service

handlers = Handlers()


@handlers.on_batch("billing.BillIssued")
async def bills_issued(session: AsyncSession, events: list[InboxEvent]) -> None:
    await service.bills_issued(session, [domain.bill_fact(e.payload) for e in events])


@handlers.on("billing.BillCancelled")
async def bill_cancelled(session: AsyncSession, event: InboxEvent) -> None:
    p = event.payload
    await service.bills_cancelled(session, [(str(p["bill_id"]), str(p["account_id"]))])
