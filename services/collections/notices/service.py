"""Notices' use cases. `queue` and `given_on` are what the ladder, arrangements, closed
accounts, liens and the guardrails call (COLLECTIONS2.md): their signatures are a contract."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from services.collections.notices import domain
from services.collections.notices import repository as repo
from services.collections.notices.domain import NoticeRequest
from services.collections.policy import service as policy


async def queue(session: AsyncSession, requests: Sequence[NoticeRequest], *, today: date,
                requested_by: str) -> int:
    """Queue letters, each (kind, reference, addressee) once, in ONE statement for any number
    (a daily run queues thousands). A shut-off notice brings SB 998's copies: "Occupant" at a
    premise that is not the mailing address, the tenants of a landlord customer (10 days'
    notice on a multi-unit premise, 7 on a detached house). Returns how many rows are new,
    copies included. Flushes only: the caller's transaction commits it."""
    if not requests:
        return 0
    for r in requests:
        domain.checked(r)
    tenants = policy.policy().tenants
    return await repo.queue(session, requests, today=today, requested_by=requested_by,
                            multi_unit_days=tenants.multi_unit_notice_days,
                            detached_days=tenants.detached_house_notice_days)


async def given_on(session: AsyncSession, account_id: uuid.UUID, kinds: Sequence[str], *,
                   since: date | None = None, addressee: str | None = None) -> date | None:
    """The latest day a released notice of these kinds went out to the account (optionally
    since a day, optionally only to one addressee); None when none was given."""
    return await repo.given_on(session, account_id, kinds, since, addressee)
