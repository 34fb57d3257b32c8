"""Payment events (declared by the payments issue; shapes assumed in docs/events.md)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.ledger import repository as repo
from services.billing.ledger import service

handlers = Handlers()


@handlers.on("payments.PaymentPosted")
async def payment_posted(s: AsyncSession, e: InboxEvent) -> None:
    p = e.payload["payment"]
    await service.post(s, uuid.UUID(str(p["account_id"])), "payment",
                       -Decimal(str(p["amount"])), date.fromisoformat(str(p["received_on"])),
                       str(p["id"]), "payments")


@handlers.on("payments.PaymentReturned")
async def payment_returned(s: AsyncSession, e: InboxEvent) -> None:
    p = e.payload
    original = await repo.by_reference(s, "payment", str(p["payment_id"]))
    await service.post(s, uuid.UUID(str(p["account_id"])), "payment_reversal",
                       Decimal(str(p["amount"])), date.fromisoformat(str(p["date"])),
                       str(p["payment_id"]), "payments",
                       corrects=original.id if original else None)


@handlers.on("accounts.DepositDueForRefund")
async def deposit_due_for_refund(s: AsyncSession, e: InboxEvent) -> None:
    """The held deposit is applied to the account (a credit); a remaining credit balance is
    then refunded by payments."""
    p = e.payload
    await service.post(s, uuid.UUID(str(p["account_id"])), "deposit_applied",
                       -Decimal(str(p["amount"])), e.occurred_at.date(),
                       f"deposit:{e.event_id}", "accounts")
