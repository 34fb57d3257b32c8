"""Premises: create, change, continuous-service owner, parcel report (flush only)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.accounts.customers.service import get_account
from services.accounts.premises import domain, repository
from services.accounts.premises.schemas import (
    OwnerIn,
    ParcelConnection,
    ParcelReport,
    PremiseIn,
    PremiseOut,
    PremisePatch,
)
from services.accounts.search.service import reindex


def premise_out(row: Any) -> PremiseOut:
    return PremiseOut.model_validate(dict(row._mapping))


def premise_event(p: PremiseOut) -> Event:
    return Event("accounts.PremiseChanged", f"premise:{p.id}",
                 {"premise": p.model_dump(mode="json")})


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
    out = premise_out(await repository.insert(session, {"id": uuid.uuid4(), **values}))
    await audit.record(session, who, "premise.create", "premise", str(out.id), after=out)
    await publish(session, [premise_event(out)], who.sub)
    await reindex(session, premises=[out.id])
    return out


async def get(session: AsyncSession, premise_id: uuid.UUID, lock: bool = False) -> PremiseOut:
    row = await repository.get(session, premise_id, lock)
    if row is None:
        raise NotFound("No such premise", field="premise_id")
    return premise_out(row)


async def update(session: AsyncSession, who: Principal, premise_id: uuid.UUID,
                 body: PremisePatch) -> PremiseOut:
    before = await get(session, premise_id, lock=True)
    values = body.model_dump(exclude_unset=True)
    if not values:
        return before
    _validate(values.get("kind", before.kind),
              values.get("dwelling_units", before.dwelling_units), None)
    after = premise_out(await repository.update(session, premise_id, values))
    await audit.record(session, who, "premise.update", "premise", str(premise_id),
                       before=before, after=after)
    await publish(session, [premise_event(after)], who.sub)
    await reindex(session, premises=[premise_id])
    return after


async def set_owner(session: AsyncSession, who: Principal, premise_id: uuid.UUID,
                    body: OwnerIn) -> PremiseOut:
    """Name the owner/landlord account that service reverts to when a tenant moves out."""
    before = await get(session, premise_id, lock=True)
    if body.owner_account_id is not None:
        owner = await get_account(session, body.owner_account_id)
        if owner.status != "active":
            raise Unprocessable("The owner's account is not active", field="owner_account_id")
    after = premise_out(await repository.update(
        session, premise_id, {"owner_account_id": body.owner_account_id}))
    await audit.record(session, who, "premise.owner", "premise", str(premise_id),
                       before=before, after=after)
    await publish(session, [premise_event(after)], who.sub)
    return after


async def parcel_report(session: AsyncSession, apn: str) -> ParcelReport:
    rows = await repository.parcel_connections(session, apn)
    if not rows:
        raise NotFound("No premise on this parcel", field="apn")
    conns = [ParcelConnection.model_validate(dict(r._mapping)) for r in rows]
    return ParcelReport(apn=apn, premises=len({c.premise_id for c in conns}),
                        meter_connections=sum(1 for c in conns if c.meter_id), connections=conns)
