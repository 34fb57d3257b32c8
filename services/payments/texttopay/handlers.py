"""Events text-to-pay reacts to: an account closed by accounts ends its registered phone, so no
balance message or PAY follows for it. A replay finds nothing left to end and changes nothing."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.payments.texttopay import service

handlers = Handlers()


@handlers.on("accounts.AccountChanged")
async def account_changed(s: AsyncSession, e: InboxEvent) -> None:
    account = e.payload["account"]
    if account.get("status") == "closed":
        await service.account_closed(s, uuid.UUID(str(account["id"])), e.occurred_at)
