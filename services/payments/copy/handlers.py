"""Accounts and billing events that keep payments' copy current. Each is an upsert keyed by the
event's own ids, so a redelivered or replayed event changes nothing and the whole copy is
rebuilt by replaying the history (`tapline events rewind payments --source accounts`, then
`--source billing`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from kernel.settings import get_settings
from services.payments.copy import domain
from services.payments.copy import repository as repo

handlers = Handlers()


@handlers.on("accounts.AccountChanged")
async def account_changed(s: AsyncSession, e: InboxEvent) -> None:
    await repo.upsert_account(s, domain.account_row(e.payload["account"]))


@handlers.on("accounts.CustomerChanged")
async def customer_changed(s: AsyncSession, e: InboxEvent) -> None:
    c = e.payload["customer"]
    await repo.upsert_customer(s, *domain.customer_name(c),
                               address=domain.mailing_address(c.get("mailing_address")))


@handlers.on("billing.BillIssued")
async def bill_issued(s: AsyncSession, e: InboxEvent) -> None:
    bill = domain.bill_row(e.payload["bill"])
    await repo.upsert_bill(s, bill)
    balance = domain.balance_of(e.payload)
    if balance is not None:
        await repo.set_balance(s, bill.account_id, balance, e.occurred_at)


@handlers.on("billing.BillCancelled")
async def bill_cancelled(s: AsyncSession, e: InboxEvent) -> None:
    await repo.cancel_bill(s, str(e.payload["bill_id"]), str(e.payload["account_id"]))


@handlers.on("billing.LedgerEntryPosted")
async def ledger_entry_posted(s: AsyncSession, e: InboxEvent) -> None:
    """The balance, and a payment or payment_reversal entry itself (the end-of-day report ties
    what payments took to what billing's ledger received)."""
    heard_on = e.occurred_at.astimezone(ZoneInfo(get_settings().timezone)).date()
    entry = domain.ledger_payment_row(e.payload["entry"], heard_on)
    if entry is not None:
        await repo.keep_ledger_payment(s, entry, e.occurred_at)
    balance = domain.balance_of(e.payload)
    if balance is not None:
        await repo.set_balance(s, str(e.payload["entry"]["account_id"]), balance,
                               e.occurred_at)
