"""Service orders consume `billing.ServiceOrderRequested` (re-read, leak check)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.inbox import Handlers, InboxEvent
from services.accounts.orders import service

handlers = Handlers()
BILLING = Principal(sub="billing-events", role="system")


@handlers.on("billing.ServiceOrderRequested")
async def service_order_requested(session: AsyncSession, event: InboxEvent) -> None:
    await service.from_billing(session, BILLING, event.payload, utility_today())
