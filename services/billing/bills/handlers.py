"""Events consumed by the bills feature: payments' autopay enrolments, kept for statements."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.bills import statement_repository as repo

handlers = Handlers()


@handlers.on("payments.AutopayEnrolled")
async def autopay_enrolled(s: AsyncSession, e: InboxEvent) -> None:
    """The event carries the new state (masked display only), so a redelivery writes it again."""
    p = e.payload
    await repo.set_autopay(s, uuid.UUID(str(p["account_id"])), str(p.get("display") or ""),
                           True)


@handlers.on("payments.AutopayCancelled")
async def autopay_cancelled(s: AsyncSession, e: InboxEvent) -> None:
    p = e.payload
    await repo.set_autopay(s, uuid.UUID(str(p["account_id"])), str(p.get("display") or ""),
                           False)
