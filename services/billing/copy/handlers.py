"""Accounts events that keep billing's copy current (each one idempotent: replays are safe)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from services.billing.copy import domain
from services.billing.copy import repository as repo
from services.billing.reads import service as reads

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


@handlers.on("accounts.MeterChanged")
async def meter_changed(s: AsyncSession, e: InboxEvent) -> None:
    row = domain.meter_row(e.payload["meter"])
    await repo.upsert_meter(s, row)
    if row["install_read"] is not None and row["installed_at"] is not None:
        await reads.baseline(s, row["id"], row["installed_at"], row["install_read"])


async def sa_event(s: AsyncSession, e: InboxEvent) -> None:
    for sa in domain.sas_of(e.type, e.payload):
        await repo.upsert_sa(s, domain.sa_row(sa))


for _t in ("accounts.ServiceStarted", "accounts.ServiceStopped",
           "accounts.ServiceAgreementChanged", "accounts.ServiceTransferred"):
    handlers.add(_t, sa_event)
