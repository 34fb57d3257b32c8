"""Meters: receive into stock, install, remove, exchange, history (flush only)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.outbox import Event, publish
from services.accounts.meters import domain, repository
from services.accounts.meters.schemas import (
    ExchangeIn,
    HistoryEntry,
    InstallIn,
    MeterIn,
    MeterOut,
    RemoveIn,
)
from services.accounts.premises.service import get as get_premise
from services.accounts.search.service import reindex


def meter_out(row: Any) -> MeterOut:
    return MeterOut.model_validate(dict(row._mapping))


def meter_event(m: MeterOut) -> Event:
    return Event("accounts.MeterChanged", f"meter:{m.id}", {"meter": m.model_dump(mode="json")})


async def receive(session: AsyncSession, who: Principal, body: MeterIn) -> MeterOut:
    """A new meter enters stock."""
    if not domain.size_ok(body.size):
        raise Unprocessable(f"Unknown meter size '{body.size}'", field="size")
    row = await repository.insert(session, {"id": uuid.uuid4(), **body.model_dump()})
    if row is None:
        raise Conflict("A meter with this serial exists", field="serial")
    out = meter_out(row)
    await repository.add_history(session, out.id, None, "received", utility_today(), None, None,
                                 who.sub)
    await audit.record(session, who, "meter.receive", "meter", str(out.id), after=out)
    await publish(session, [meter_event(out)], who.sub)
    return out


async def get(session: AsyncSession, meter_id: uuid.UUID, lock: bool = False) -> MeterOut:
    row = await repository.get(session, meter_id, lock)
    if row is None:
        raise NotFound("No such meter", field="meter_id")
    return meter_out(row)


def _check_read(m: MeterOut, value: Decimal, field: str) -> None:
    if not domain.read_fits_dials(value, m.dials):
        raise Unprocessable(f"A read of {value} does not fit {m.dials} dials", field=field)


async def install(session: AsyncSession, who: Principal, meter_id: uuid.UUID,
                  body: InstallIn, history_action: str = "installed") -> MeterOut:
    before = await get(session, meter_id, lock=True)
    if not domain.may_install(before.status):
        raise Conflict(f"Meter is {before.status}, not in stock", field="meter_id")
    _check_read(before, body.read, "read")
    await get_premise(session, body.premise_id)
    after = meter_out(await repository.set_installed(
        session, meter_id, body.premise_id, body.on_date, body.read))
    await repository.add_history(session, meter_id, body.premise_id, history_action,
                                 body.on_date, body.read, None, who.sub)
    await audit.record(session, who, "meter.install", "meter", str(meter_id), before=before,
                       after=after)
    await publish(session, [meter_event(after)], who.sub)
    await reindex(session, premises=[body.premise_id])
    return after


async def remove(session: AsyncSession, who: Principal, meter_id: uuid.UUID, body: RemoveIn,
                 history_action: str = "removed") -> MeterOut:
    before = await get(session, meter_id, lock=True)
    if not domain.may_remove(before.status):
        raise Conflict(f"Meter is {before.status}, not installed", field="meter_id")
    _check_read(before, body.read, "read")
    if before.installed_at and body.on_date < before.installed_at:
        raise Unprocessable("Removal date is before the install date", field="on_date")
    after = meter_out(await repository.set_removed(session, meter_id, body.on_date, body.read))
    await repository.add_history(session, meter_id, before.premise_id, history_action,
                                 body.on_date, body.read, body.note, who.sub)
    await audit.record(session, who, "meter.remove", "meter", str(meter_id), before=before,
                       after=after)
    await publish(session, [meter_event(after)], who.sub)
    if before.premise_id:
        await reindex(session, premises=[before.premise_id])
    return after


async def exchange(session: AsyncSession, who: Principal, meter_id: uuid.UUID,
                   body: ExchangeIn) -> tuple[MeterOut, MeterOut]:
    """Old meter out with its removal read, new one in with its install read, and every active
    service agreement metered by the old one moves to the new one, in one transaction."""
    # Imported here: agreements' service uses this module to find a premise's meter.
    from services.accounts.agreements.service import announce_changed

    old = await get(session, meter_id)
    if not domain.may_remove(old.status) or old.premise_id is None:
        raise Conflict(f"Meter is {old.status}, not installed", field="meter_id")
    new = await get(session, body.new_meter_id)
    if not domain.may_install(new.status):
        raise Conflict(f"Meter is {new.status}, not in stock", field="new_meter_id")
    removed = await remove(session, who, meter_id,
                           RemoveIn(on_date=body.on_date, read=body.removal_read,
                                    note=body.note), "exchanged_out")
    installed = await install(session, who, body.new_meter_id,
                              InstallIn(premise_id=old.premise_id, on_date=body.on_date,
                                        read=body.install_read), "exchanged_in")
    moved = await repository.repoint_agreements(session, meter_id, body.new_meter_id)
    await announce_changed(session, who, [r.id for r in moved], "meter_exchange")
    return removed, installed


async def history(session: AsyncSession, meter_id: uuid.UUID) -> list[HistoryEntry]:
    await get(session, meter_id)
    return [HistoryEntry.model_validate(dict(r._mapping))
            for r in await repository.history(session, meter_id)]


async def at_premise(session: AsyncSession, premise_id: uuid.UUID) -> list[MeterOut]:
    return [meter_out(r) for r in await repository.installed_at_premise(session, premise_id)]


async def listing(session: AsyncSession, status: str | None, size: str | None,
                  limit: int = 200) -> list[MeterOut]:
    """Inventory: meters in stock (or installed, removed) by size."""
    return [meter_out(r) for r in await repository.listing(session, status, size, limit)]
