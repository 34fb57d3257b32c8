"""Ledger entries for collections' closed accounts (services/collections/closed/): balance
transfers to the customer's active account, the collection agency's payments (and its fee when
the district adds it to the debt), and write-offs. Each entry is posted by a reference built
from collections' own id, so a redelivered or replayed event posts nothing twice."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.ledger import service

handlers = Handlers()


@handlers.on("collections.BalanceTransferred")
async def balance_transferred(s: AsyncSession, e: InboxEvent) -> None:
    """A closed account's balance moves to the customer's active account: the closed account
    is credited (`transfer_out`, down to nothing) and the active account owes it
    (`transfer_in`), as billing's own balance transfer posts them."""
    p = e.payload
    on = date.fromisoformat(str(p["transferred_on"]))
    amount = Decimal(str(p["amount"]))
    who = str(p.get("approved_by") or "collections")
    await service.post(s, uuid.UUID(str(p["from_account_id"])), "transfer_out", -amount, on,
                       f"ctransfer:{p['transfer_id']}:out", who)
    await service.post(s, uuid.UUID(str(p["to_account_id"])), "transfer_in", amount, on,
                       f"ctransfer:{p['transfer_id']}:in", who)


@handlers.on("collections.AgencyPaymentRecorded")
async def agency_payment_recorded(s: AsyncSession, e: InboxEvent) -> None:
    """What the agency collected is credited (`agency_payment`); its fee is debited
    (`collection_fee`) only when the district's policy adds it to the customer's debt."""
    p = e.payload
    account_id = uuid.UUID(str(p["account_id"]))
    on = date.fromisoformat(str(p["received_on"]))
    await service.post(s, account_id, "agency_payment", -Decimal(str(p["amount"])), on,
                       f"agency:{p['payment_id']}", "collections")
    fee = Decimal(str(p.get("fee") or "0"))
    if p.get("fee_added_to_debt") is True and fee > 0:
        await service.post(s, account_id, "collection_fee", fee, on,
                           f"agency-fee:{p['payment_id']}", "collections")


@handlers.on("collections.WrittenOff")
async def written_off(s: AsyncSession, e: InboxEvent) -> None:
    """An uncollectable closed account's balance written off with a supervisor's approval."""
    p = e.payload
    await service.post(s, uuid.UUID(str(p["account_id"])), "write_off",
                       -Decimal(str(p["amount"])), date.fromisoformat(str(p["written_off_on"])),
                       f"writeoff:{p['write_off_id']}", str(p.get("approved_by") or "collections"))
