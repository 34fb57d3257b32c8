"""Premises: create, change, continuous-service owner, parcel report (flush only).

Each change records `PremiseChanged`; search and the outbox follow from it."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import NotFound, Unprocessable
from kernel.reactions import record
from services.accounts.customers.service import get_account
from services.accounts.premises import domain, repository
from services.accounts.premises.facts import PremiseChanged
from services.accounts.premises.schemas import (
    OwnerIn,
    ParcelReport,
    PremiseIn,
    PremiseOut,
    PremisePatch,
)


def _validate(kind: str, units: int, apn: str | None) -> None:
    if apn is not None and not domain.apn_ok(apn):
        raise Unprocessable("APN must look like 123-456-78", field="apn")
    if not domain.units_ok(kind, units):
        raise Unprocessable("Only multi-family premises have (2 or more) dwelling units",
                            field="dwelling_units")


async def create(session: AsyncSession, who: Principal, body: PremiseIn) -> PremiseOut:
    _validate(body.kind, body.dwelling_units, body.apn)
    values = body.model_dump()
    values["address"] = body.address.model_dump()
    out = await repository.insert(session, {"id": uuid.uuid4(), **values})
    await audit.record(session, who, "premise.create", "premise", str(out.id), after=out)
    record(session, who, PremiseChanged(out))
    return out


async def get(session: AsyncSession, premise_id: uuid.UUID, lock: bool = False) -> PremiseOut:
    found = await repository.get(session, premise_id, lock)
    if found is None:
        raise NotFound("No such premise", field="premise_id")
    return found


async def update(session: AsyncSession, who: Principal, premise_id: uuid.UUID,
                 body: PremisePatch) -> PremiseOut:
    before = await get(session, premise_id, lock=True)
    values = body.model_dump(exclude_unset=True)
    if not values:
        return before
    _validate(values.get("kind", before.kind),
              values.get("dwelling_units", before.dwelling_units), None)
    after = await repository.update(session, premise_id, values)
    await audit.record(session, who, "premise.update", "premise", str(premise_id),
                       before=before, after=after)
    record(session, who, PremiseChanged(after))
    return after


async def set_owner(session: AsyncSession, who: Principal, premise_id: uuid.UUID,
                    body: OwnerIn) -> PremiseOut:
    """Name the owner/landlord account that service reverts to when a tenant moves out."""
    before = await get(session, premise_id, lock=True)
    if body.owner_account_id is not None:
        owner = await get_account(session, body.owner_account_id)
        if owner.status != "active":
            raise Unprocessable("The owner's account is not active", field="owner_account_id")
    after = await repository.update(
        session, premise_id, {"owner_account_id": body.owner_account_id})
    await audit.record(session, who, "premise.owner", "premise", str(premise_id),
                       before=before, after=after)
    record(session, who, PremiseChanged(after))
    return after


async def parcel_report(session: AsyncSession, apn: str) -> ParcelReport:
    conns = await repository.parcel_connections(session, apn)
    if not conns:
        raise NotFound("No premise on this parcel", field="apn")
    return ParcelReport(apn=apn, premises=len({c.premise_id for c in conns}),
                        meter_connections=sum(1 for c in conns if c.meter_id), connections=conns)
