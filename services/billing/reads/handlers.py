"""Reads that arrive with completed service orders (turn-on, re-read, final read ...)."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.common import local_date
from services.billing.reads import service

handlers = Handlers()


@handlers.on("accounts.ServiceOrderCompleted")
async def service_order_completed(s: AsyncSession, e: InboxEvent) -> None:
    so = e.payload["service_order"]
    read = so.get("read")
    if not read:
        return
    on = local_date(str(read["read_at"]))
    await service.reread_arrived(s, so.get("reference"), read["meter_id"], on,
                                 Decimal(str(read["value"])))
