"""Use cases of the copy: an account as collections knows it; rebuild by replay (kernel.copy)."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import copy
from kernel.auth import Principal
from kernel.errors import NotFound
from services.collections.copy import domain
from services.collections.copy import repository as repo
from services.collections.copy.schemas import AccountOut, PremiseOut

#: The services whose events fill the copy.
SOURCES: tuple[str, ...] = ("accounts", "billing")


async def rebuild(s: AsyncSession, who: Principal, mode: str) -> copy.RebuildResult:
    """Clear the copy and the inbox progress for accounts and billing; their events apply
    again in per-key order and give the same copy."""
    return await copy.rebuild(s, who, SOURCES, repo.clear_copy, mode)


async def account(s: AsyncSession, account_id: uuid.UUID) -> AccountOut:
    """What a notice needs to know of an account: holder, language, mailing address and the
    premises served (kind, units, service address, owner, APN)."""
    a = await repo.account_facts(s, account_id)
    if a is None:
        raise NotFound("No such account (an account appears once accounts has announced it)",
                       field="account_id")
    premises = [PremiseOut(
        id=p.id, kind=p.kind, dwelling_units=p.dwelling_units, service_address=p.address,
        apn=p.apn, owner_account_id=p.owner_account_id, active=p.active,
        mailing_differs=p.address is not None and not domain.same_address(a.mailing, p.address),
        landlord_is_customer=p.owner_account_id == a.id)
        for p in await repo.served_premises(s, account_id)]
    return AccountOut(id=a.id, number=a.number, status=a.status,
                      customer_name=a.customer_name, customer_kind=a.customer_kind,
                      language=domain.language_of(a.language, a.customer_language),
                      mailing_address=a.mailing, phones=a.phones or [], emails=a.emails or [],
                      premises=premises, open_appeals=await repo.open_appeals(s, account_id))
