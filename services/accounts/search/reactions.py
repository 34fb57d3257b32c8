"""Search follows every change to what it shows: customers, accounts, premises, meters and
service agreements. One set-based refresh per round of facts, in the change's transaction."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.reactions import Happened, Reactions
from services.accounts.agreements.facts import (
    ServiceAgreementChanged,
    ServiceStarted,
    ServiceStopped,
    ServiceTransferred,
)
from services.accounts.customers.facts import AccountChanged, CustomerChanged
from services.accounts.meters.facts import MeterChanged
from services.accounts.premises.facts import PremiseChanged
from services.accounts.search import service

reactions = Reactions()


@reactions.on(CustomerChanged, AccountChanged, PremiseChanged, MeterChanged, ServiceStarted,
              ServiceStopped, ServiceAgreementChanged, ServiceTransferred)
async def reindex_what_changed(session: AsyncSession, happened: list[Happened]) -> None:
    customers: set[uuid.UUID] = set()
    accounts: set[uuid.UUID] = set()
    premises: set[uuid.UUID] = set()
    for h in happened:
        fact = h.fact
        if isinstance(fact, CustomerChanged):
            customers.add(fact.customer.id)  # the name and address are in every account's row
        elif isinstance(fact, AccountChanged):
            accounts.add(fact.account.id)
        elif isinstance(fact, PremiseChanged):
            premises.add(fact.premise.id)
        elif isinstance(fact, MeterChanged):
            if fact.meter.premise_id is not None:  # serials are keys of the premise's rows
                premises.add(fact.meter.premise_id)
        elif isinstance(fact, ServiceStarted | ServiceStopped | ServiceAgreementChanged):
            accounts.add(fact.sa.account_id)
            premises.add(fact.sa.premise_id)
        elif isinstance(fact, ServiceTransferred):
            accounts.add(fact.account_id)
            premises.update((fact.from_premise_id, fact.to_premise_id))
    await service.reindex(session, accounts=sorted(accounts), premises=sorted(premises),
                          customers=sorted(customers))
