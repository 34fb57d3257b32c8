"""Accounts events that keep billing's copy current (each one idempotent: replays are safe)."""

from __future__ import annotations

import uuid

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
    """The copy of the meter, its install read as a baseline; reads judged on the copy as it
    was (held for the meter, or measured without the new baseline) are judged again."""
    row = domain.meter_row(e.payload["meter"])
    old = await repo.meter_facts(s, row["id"])
    await repo.upsert_meter(s, row)
    new_baseline = False
    if row["install_read"] is not None and row["installed_at"] is not None:
        new_baseline = await reads.baseline(s, row["id"], row["installed_at"],
                                            row["install_read"])
    changed = domain.changed_facts(old, row, domain.METER_FACTS)
    await reads.adopt_held_for_serial(s, uuid.UUID(str(row["id"])), row["serial"])
    since = row["installed_at"] if new_baseline or (old is not None and changed) else None
    await reads.judge_again(s, uuid.UUID(str(row["id"])), since,
                            f"{e.type} ({', '.join(changed) or 'no change'})")


async def sa_event(s: AsyncSession, e: InboxEvent) -> None:
    """The copy of the agreements; where their dates, status or meter changed, the reads of
    their meters are judged again (all agreements of the event first, then the reads)."""
    affected = []
    for sa in domain.sas_of(e.type, e.payload):
        row = domain.sa_row(sa)
        old = await repo.sa_facts(s, row["id"])
        await repo.upsert_sa(s, row)
        changed = domain.changed_facts(old, row, domain.SA_FACTS)
        if changed:
            affected.append((row, old, changed))
    for row, old, changed in affected:
        starts = [row["start_date"]] + ([old.start_date] if old is not None else [])
        meters = [row["meter_id"]] + ([old.meter_id] if old is not None else [])
        premises = [row["premise_id"]] + ([old.premise_id] if old is not None else [])
        await reads.judge_again_for_agreement(
            s, meters, premises, min(starts), f"{e.type} ({', '.join(changed)})")


for _t in ("accounts.ServiceStarted", "accounts.ServiceStopped",
           "accounts.ServiceAgreementChanged", "accounts.ServiceTransferred"):
    handlers.add(_t, sa_event)
