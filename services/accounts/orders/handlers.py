"""Service orders consume `billing.ServiceOrderRequested` (re-read, leak check) and
collections' field orders: `collections.ServiceOrderRequested` (door tag, disconnect for
non-payment, reconnect), `ServiceOrderCancelled` and `ServiceOrderCompleted` (a disconnect
collections' SB 998 guardrails allowed that day)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.inbox import Handlers, InboxEvent
from services.accounts.orders import domain, service

handlers = Handlers()
BILLING = Principal(sub="billing-events", role="system")


@handlers.on("billing.ServiceOrderRequested")
async def service_order_requested(session: AsyncSession, event: InboxEvent) -> None:
    await service.from_billing(session, BILLING, event.payload, utility_today())


COLLECTIONS = Principal(sub=domain.COLLECTIONS_SUB, role="system")


@handlers.on("collections.ServiceOrderRequested")
async def collections_order_requested(session: AsyncSession, event: InboxEvent) -> None:
    await service.from_collections(session, COLLECTIONS, event.payload, utility_today())


@handlers.on("collections.ServiceOrderCancelled")
async def collections_order_cancelled(session: AsyncSession, event: InboxEvent) -> None:
    await service.collections_cancelled(session, COLLECTIONS, event.payload)


@handlers.on("collections.ServiceOrderCompleted")
async def collections_order_completed(session: AsyncSession, event: InboxEvent) -> None:
    await service.collections_completed(session, COLLECTIONS, event.payload)
