"""Deposits read returned payments and late charges as marks against good payment history."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.accounts.deposits import service

handlers = Handlers()

_DATE_FIELDS = ("date", "on_date", "returned_on", "assessed_on", "posted_on")


def event_date(event: InboxEvent) -> date:
    """The business date the event carries (under any of its usual names), else when it
    occurred."""
    payload: dict[str, Any] = event.payload
    for name in _DATE_FIELDS:
        value = payload.get(name)
        if value:
            return date.fromisoformat(str(value)[:10])
    return event.occurred_at.date()


async def _mark(session: AsyncSession, event: InboxEvent, kind: str) -> None:
    account_id = event.payload.get("account_id")
    if not account_id:
        raise ValueError("event carries no account_id")
    await service.record_mark(session, uuid.UUID(str(account_id)), kind, event_date(event),
                              event.event_id)


@handlers.on("payments.PaymentReturned")
async def payment_returned(session: AsyncSession, event: InboxEvent) -> None:
    await _mark(session, event, "payment_returned")


@handlers.on("collections.LateChargeAssessed")
async def late_charge_assessed(session: AsyncSession, event: InboxEvent) -> None:
    await _mark(session, event, "late_charge")
