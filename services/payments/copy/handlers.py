"""Accounts and billing events that keep payments' copy current. Each is an upsert keyed by the
event's own ids, so a redelivered or replayed event changes nothing and the whole copy is
rebuilt by replaying the history (`tapline events rewind payments --source accounts`, then
`--source billing`)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
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
    balance = domain.balance_of(e.payload)
    if balance is not None:
        await repo.set_balance(s, str(e.payload["entry"]["account_id"]), balance,
                               e.occurred_at)
