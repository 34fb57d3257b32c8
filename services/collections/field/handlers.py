"""Accounts' service orders that carry out collections' field orders (reference
`collections:{id}`): created, completed in the field (a door tag left, service reconnected),
cancelled. Each is applied by the order's id, so a redelivered event changes nothing."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.collections.field import service

handlers = Handlers()


async def service_order(s: AsyncSession, e: InboxEvent) -> None:
    await service.from_accounts(s, e.type, e.payload["service_order"])


for _t in ("accounts.ServiceOrderCreated", "accounts.ServiceOrderCompleted",
           "accounts.ServiceOrderCancelled"):
    handlers.add(_t, service_order)
