"""Collections' field work on billing's ledger: the reconnection fee (issue 10). Collections
decides the fee (the district's, capped for a low-income household by SB 998) when service is
restored; the ledger posts it once per reconnect order, whatever the redeliveries."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.ledger import service

handlers = Handlers()


@handlers.on("collections.ReconnectionFeeAssessed")
async def reconnection_fee_assessed(s: AsyncSession, e: InboxEvent) -> None:
    """A `reconnection_fee` debit, reference `reconnect:{field_order_id}`."""
    p = e.payload
    await service.post(s, uuid.UUID(str(p["account_id"])), "reconnection_fee",
                       Decimal(str(p["amount"])), date.fromisoformat(str(p["assessed_on"])),
                       f"reconnect:{p['field_order_id']}", "collections")
