"""Rebates accounts approved: one `rebate_credit` on the account's ledger per application paid
as a bill credit (reference `rebate:<application id>`, so a redelivery, or the same approval
announced again under another event id, credits once). A rebate paid by check is accounts
payable's, not the ledger's: nothing is posted for it."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.ledger import service as ledger

handlers = Handlers()


@handlers.on("accounts.RebateApproved")
async def rebate_approved(s: AsyncSession, e: InboxEvent) -> None:
    p = e.payload
    if p.get("payment") != "credit":
        return
    amount = Decimal(str(p["amount"]))
    if amount <= 0:
        return
    await ledger.post(s, uuid.UUID(str(p["account_id"])), "rebate_credit", -amount,
                      date.fromisoformat(str(p["approved_on"])),
                      f"rebate:{p['application_id']}", "accounts")
