"""Meters: receive into stock, install, remove, exchange, history (flush only).

Each change records `MeterChanged`; an exchange also records `MeterExchanged`, from which the
agreements feature moves its agreements to the new meter (meters never write agreements)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.clock import utility_today
from kernel.errors import Conflict, NotFound, Unprocessable
from kernel.reactions import record
from services.accounts.meters import domain, repository
from services.accounts.meters.facts import MeterChanged, MeterExchanged
from services.accounts.meters.schemas import (
    ExchangeIn,
    ExchangeOut,
    HistoryEntry,
    InstallIn,
    MeterIn,
    MeterOut,
    RemoveIn,
)
from services.accounts.premises.service import get as get_premise


async def receive(session: AsyncSession, who: Principal, body: MeterIn) -> MeterOut:
    """A new meter enters stock."""
    if not domain.size_ok(body.size):
        raise Unprocessable(f"Unknown meter size '{body.size}'", field="size")
    out = await repository.insert(session, {"id": uuid.uuid4(), **body.model_dump()})
    if out is None:
        raise Conflict("A meter with this serial exists", field="serial")
    await repository.add_history(session, out.id, None, "received", utility_today(), None, None,
                                 who.sub)
    await audit.record(session, who, "meter.receive", "meter", str(out.id), after=out)
    record(session, who, MeterChanged(out))
    return out


async def get(session: AsyncSession, meter_id: uuid.UUID, lock: bool = False) -> MeterOut:
    found = await repository.get(session, meter_id, lock)
    if found is None:
        raise NotFound("No such meter", field="meter_id")
    return found


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
    after = await repository.set_installed(
        session, meter_id, body.premise_id, body.on_date, body.read)
    await repository.add_history(session, meter_id, body.premise_id, history_action,
                                 body.on_date, body.read, None, who.sub)
    await audit.record(session, who, "meter.install", "meter", str(meter_id), before=before,
                       after=after)
    record(session, who, MeterChanged(after))
    return after


async def remove(session: AsyncSession, who: Principal, meter_id: uuid.UUID, body: RemoveIn,
                 history_action: str = "removed") -> MeterOut:
    before = await get(session, meter_id, lock=True)
    if not domain.may_remove(before.status):
        raise Conflict(f"Meter is {before.status}, not installed", field="meter_id")
    _check_read(before, body.read, "read")
    if before.installed_at and body.on_date < before.installed_at:
        raise Unprocessable("Removal date is before the install date", field="on_date")
    after = await repository.set_removed(session, meter_id, body.on_date, body.read)
    await repository.add_history(session, meter_id, before.premise_id, history_action,
                                 body.on_date, body.read, body.note, who.sub)
    await audit.record(session, who, "meter.remove", "meter", str(meter_id), before=before,
                       after=after)
    record(session, who, MeterChanged(after))
    return after


async def exchange(session: AsyncSession, who: Principal, meter_id: uuid.UUID,
                   body: ExchangeIn) -> ExchangeOut:
    """Old meter out with its removal read, new one in with its install read; the active
    service agreements metered by the old one follow (`MeterExchanged`), in one transaction."""
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
    record(session, who, MeterExchanged(removed=removed, installed=installed))
    return ExchangeOut(removed=removed, installed=installed)


async def history(session: AsyncSession, meter_id: uuid.UUID) -> list[HistoryEntry]:
    await get(session, meter_id)
    return await repository.history(session, meter_id)


async def at_premise(session: AsyncSession, premise_id: uuid.UUID) -> list[MeterOut]:
    return await repository.installed_at_premise(session, premise_id)


async def listing(session: AsyncSession, status: str | None, size: str | None,
                  limit: int = 200) -> list[MeterOut]:
    """Inventory: meters in stock (or installed, removed) by size."""
    return await repository.listing(session, status, size, limit)
