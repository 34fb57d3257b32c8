"""Accounts and billing events that keep collections' copy current. Each is an upsert keyed
by the event's own ids, in any order across keys, so a redelivered or replayed event changes
nothing and the whole copy is rebuilt by replaying the history
(`POST /api/collections/copy/rebuild`)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from kernel.settings import get_settings
from services.collections.copy import domain
from services.collections.copy import repository as repo

handlers = Handlers()


@handlers.on("accounts.AccountChanged")
async def account_changed(s: AsyncSession, e: InboxEvent) -> None:
    await repo.upsert_account(s, domain.account_row(e.payload["account"]))


@handlers.on("accounts.CustomerChanged")
async def customer_changed(s: AsyncSession, e: InboxEvent) -> None:
    await repo.upsert_customer(s, domain.customer_row(e.payload["customer"]))


@handlers.on("accounts.PremiseChanged")
async def premise_changed(s: AsyncSession, e: InboxEvent) -> None:
    await repo.upsert_premise(s, domain.premise_row(e.payload["premise"]))


async def agreement_event(s: AsyncSession, e: InboxEvent) -> None:
    for row in domain.agreement_rows(e.type, e.payload):
        await repo.upsert_agreement(s, row)


for _t in ("accounts.ServiceStarted", "accounts.ServiceStopped",
           "accounts.ServiceAgreementChanged", "accounts.ServiceTransferred"):
    handlers.add(_t, agreement_event)


@handlers.on("billing.BillIssued")
async def bill_issued(s: AsyncSession, e: InboxEvent) -> None:
    bill = domain.bill_row(e.payload["bill"], e.payload.get("budget_deferral"))
    await repo.upsert_bill(s, bill)
    balance = domain.balance_of(e.payload)
    if balance is not None:
        await repo.set_balance(s, bill.account_id, balance, e.occurred_at)


@handlers.on("billing.BillCancelled")
async def bill_cancelled(s: AsyncSession, e: InboxEvent) -> None:
    p = e.payload
    on = domain.cancelled_on(p, e.occurred_at, get_settings().timezone)
    await repo.cancel_bill(s, str(p["bill_id"]), str(p["account_id"]), on,
                           str(p["replaced_by"]) if p.get("replaced_by") else None)


@handlers.on("billing.LedgerEntryPosted")
async def ledger_entry_posted(s: AsyncSession, e: InboxEvent) -> None:
    entry = domain.entry_row(e.payload["entry"])
    await repo.insert_entry(s, entry)
    balance = domain.balance_of(e.payload)
    if balance is not None:
        await repo.set_balance(s, entry.account_id, balance, e.occurred_at)


@handlers.on("billing.AppealOpened")
async def appeal_opened(s: AsyncSession, e: InboxEvent) -> None:
    await repo.upsert_appeal(s, domain.appeal_row(e.payload))


@handlers.on("billing.AppealDecided")
async def appeal_decided(s: AsyncSession, e: InboxEvent) -> None:
    await repo.upsert_appeal(s, domain.appeal_row(e.payload))
