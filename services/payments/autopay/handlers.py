"""Events autopay reacts to, in the same transaction as the copy's own handler (the kernel runs
both): a bill billing cancels drops its scheduled debit at once, so nothing is taken for it
even if no file is cut before the replacing bill arrives. The file cut and the card charge still
look at every debit again (`domain.review_debit`), whatever order events came in."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.payments.autopay import service

handlers = Handlers()


@handlers.on("billing.BillCancelled")
async def bill_cancelled(s: AsyncSession, e: InboxEvent) -> None:
    await service.drop_for_bill(s, uuid.UUID(str(e.payload["bill_id"])), "bill_cancelled")
