"""Ledger entries announced by other services: payments, returned payments, applied deposits,
late charges (shapes of payments and collections events assumed in docs/events.md)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.ledger import payments_batch, service
from services.billing.ledger import repository as repo

handlers = Handlers()


@handlers.on_batch("payments.PaymentPosted")
async def payment_posted(s: AsyncSession, events: list[InboxEvent]) -> None:
    """A `payment` credit per payment (reference = payment id, so a redelivery credits once)
    and its `LedgerEntryPosted`: a whole wave set-based (a lock box file brings thousands)."""
    await payments_batch.post_payments(s, [
        payments_batch.PaymentCredit(str(p["id"]), str(p["account_id"]), str(p["amount"]),
                                     str(p["received_on"]))
        for p in (e.payload["payment"] for e in events)], "payments")


@handlers.on("payments.PaymentReturned")
async def payment_returned(s: AsyncSession, e: InboxEvent) -> None:
    """One reversal per `return_id` when given (a payment refunded twice in part is reversed
    twice), else one per payment; and the returned-payment `fee` (returned checks and ACH
    returns), when there is one, as a `returned_payment_fee` debit once per return."""
    p = e.payload
    account_id = uuid.UUID(str(p["account_id"]))
    on = date.fromisoformat(str(p["date"]))
    return_id = str(p.get("return_id") or p["payment_id"])
    original = await repo.by_reference(s, "payment", str(p["payment_id"]))
    await service.post(s, account_id, "payment_reversal", Decimal(str(p["amount"])), on,
                       return_id, "payments", corrects=original.id if original else None)
    fee = p.get("fee")
    if fee not in (None, "") and Decimal(str(fee)) > 0:
        await service.post(s, account_id, "returned_payment_fee", Decimal(str(fee)), on,
                           f"fee:{return_id}", "payments")


@handlers.on("accounts.DepositDueForRefund")
async def deposit_due_for_refund(s: AsyncSession, e: InboxEvent) -> None:
    """The held deposit is applied to the account (a credit); a remaining credit balance is
    then refunded by payments."""
    p = e.payload
    await service.post(s, uuid.UUID(str(p["account_id"])), "deposit_applied",
                       -Decimal(str(p["amount"])), e.occurred_at.date(),
                       f"deposit:{e.event_id}", "accounts")


@handlers.on("collections.LateChargeAssessed")
async def late_charge_assessed(s: AsyncSession, e: InboxEvent) -> None:
    """Collections decides a late charge (once per notice cycle); the ledger records it. The
    reference is the notice, so a charge announced twice for one notice posts once."""
    p = e.payload
    reference = f"late:{p.get('notice_id') or e.event_id}"
    await service.post(s, uuid.UUID(str(p["account_id"])), "late_charge",
                       Decimal(str(p["amount"])), date.fromisoformat(str(p["assessed_on"])),
                       reference, "collections")


@handlers.on("payments.PaymentTransferred")
async def payment_transferred(s: AsyncSession, e: InboxEvent) -> None:
    """A misapplied payment moved: the account it was applied to owes it again
    (`transfer_out`), the account it was meant for is credited (`transfer_in`). Both entries
    are posted by the transfer's references, so a redelivery posts nothing."""
    p = e.payload
    on = date.fromisoformat(str(p["date"]))
    amount = Decimal(str(p["amount"]))
    await service.post(s, uuid.UUID(str(p["from_account_id"])), "transfer_out", amount, on,
                       f"transfer:{p['transfer_id']}:out", "payments")
    await service.post(s, uuid.UUID(str(p["to_account_id"])), "transfer_in", -amount, on,
                       f"transfer:{p['transfer_id']}:in", "payments")


@handlers.on("payments.RefundIssued")
async def refund_issued(s: AsyncSession, e: InboxEvent) -> None:
    """Credit paid back by check: a `refund` debit, reference `refund:<refund_id>`."""
    p = e.payload
    await service.post(s, uuid.UUID(str(p["account_id"])), "refund", Decimal(str(p["amount"])),
                       date.fromisoformat(str(p["date"])), f"refund:{p['refund_id']}",
                       "payments")


@handlers.on("payments.RefundVoided")
async def refund_voided(s: AsyncSession, e: InboxEvent) -> None:
    """A check request voided before the check was cut: the refund is reversed by a new
    `refund` credit pointing at the first (reference `refund-void:<refund_id>`)."""
    p = e.payload
    original = await repo.by_reference(s, "refund", f"refund:{p['refund_id']}")
    await service.post(s, uuid.UUID(str(p["account_id"])), "refund", -Decimal(str(p["amount"])),
                       date.fromisoformat(str(p["date"])), f"refund-void:{p['refund_id']}",
                       "payments", corrects=original.id if original else None)
