"""The SQL the guardrails gather their facts with, for many accounts at once. Reads only: the
copy's appeals and premises (the receivable is aged by `aging`), the ladder's shut-off steps,
the released notices, the arrangements and collections' own field orders; writes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import all_as


def _ids(account_ids: Sequence[uuid.UUID]) -> list[str]:
    return [str(i) for i in account_ids]


@dataclass(frozen=True, slots=True)
class Counted:
    account_id: uuid.UUID
    n: int


async def open_appeals(s: AsyncSession, account_ids: Sequence[uuid.UUID]) -> list[Counted]:
    return all_as(Counted, await s.execute(text(
        "SELECT account_id, count(*) AS n FROM appeals WHERE status <> 'decided' "
        "AND account_id = ANY(CAST(:ids AS uuid[])) GROUP BY account_id"),
        {"ids": _ids(account_ids)}))


@dataclass(frozen=True, slots=True)
class LandlordPremise:
    account_id: uuid.UUID
    kind: str
    dwelling_units: int


async def landlord_premises(s: AsyncSession,
                            account_ids: Sequence[uuid.UUID]) -> list[LandlordPremise]:
    """Premises served on an account that owns them: the landlord is the customer."""
    return all_as(LandlordPremise, await s.execute(text(
        "SELECT DISTINCT sa.account_id, p.kind, p.dwelling_units FROM service_agreements sa "
        "JOIN premises p ON p.id = sa.premise_id AND p.owner_account_id = sa.account_id "
        "WHERE sa.status = 'active' AND sa.account_id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": _ids(account_ids)}))


@dataclass(frozen=True, slots=True)
class Released:
    account_id: uuid.UUID
    addressee: str
    released_on: date


async def shutoff_notices(s: AsyncSession, account_ids: Sequence[uuid.UUID],
                          today: date) -> list[Released]:
    """The latest shut-off notice released by `today`, per account and addressee (customer,
    occupant, tenant): `notices.given_on` for many accounts in one statement."""
    return all_as(Released, await s.execute(text(
        "SELECT account_id, addressee, max(released_on) AS released_on FROM notices "
        "WHERE kind = 'shutoff_notice' AND status = 'released' AND released_on <= :d "
        "AND account_id = ANY(CAST(:ids AS uuid[])) GROUP BY account_id, addressee"),
        {"ids": _ids(account_ids), "d": today}))


@dataclass(frozen=True, slots=True)
class Named:
    account_id: uuid.UUID
    disconnect_on: date | None


async def disconnect_dates(s: AsyncSession, account_ids: Sequence[uuid.UUID],
                           today: date) -> list[Named]:
    """The date the latest shut-off step still standing names (the ladder's)."""
    return all_as(Named, await s.execute(text(
        "SELECT DISTINCT ON (account_id) account_id, disconnect_on FROM ladder_steps "
        "WHERE step = 'shutoff_notice' AND status = 'taken' AND taken_on <= :d "
        "AND account_id = ANY(CAST(:ids AS uuid[])) ORDER BY account_id, taken_on DESC"),
        {"ids": _ids(account_ids), "d": today}))


@dataclass(frozen=True, slots=True)
class Left:
    account_id: uuid.UUID
    completed_at: datetime


async def door_tags_left(s: AsyncSession, account_ids: Sequence[uuid.UUID]) -> list[Left]:
    return all_as(Left, await s.execute(text(
        "SELECT account_id, max(completed_at) AS completed_at FROM field_orders "
        "WHERE kind = 'door_tag' AND status = 'completed' AND completed_at IS NOT NULL "
        "AND account_id = ANY(CAST(:ids AS uuid[])) GROUP BY account_id"),
        {"ids": _ids(account_ids)}))


async def with_arrangements(s: AsyncSession,
                            account_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Accounts with an arrangement active or broken (the others' standing is 'none' or
    'completed', which do not stand in the way)."""
    return list((await s.execute(text(
        "SELECT DISTINCT account_id FROM arrangements WHERE status IN ('active', 'broken') "
        "AND account_id = ANY(CAST(:ids AS uuid[]))"), {"ids": _ids(account_ids)})).scalars())
