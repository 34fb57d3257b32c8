"""Reads that arrive with completed service orders (turn-on, re-read, final read ...)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from kernel.settings import get_settings
from services.billing.reads import service

handlers = Handlers()


def local_date(instant: str) -> date:
    """An ISO instant (or a plain date) as a date in the utility's zone."""
    if len(instant) <= 10:
        return date.fromisoformat(instant)
    at = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    if at.tzinfo is None:
        return at.date()
    return at.astimezone(ZoneInfo(get_settings().timezone)).date()


@handlers.on("accounts.ServiceOrderCompleted")
async def service_order_completed(s: AsyncSession, e: InboxEvent) -> None:
    so = e.payload["service_order"]
    read = so.get("read")
    if not read:
        return
    on = local_date(str(read["read_at"]))
    await service.reread_arrived(s, so.get("reference"), read["meter_id"], on,
                                 Decimal(str(read["value"])))
