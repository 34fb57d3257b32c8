"""Use cases of rate schedules: enter a version, read versions back, compute winter averages."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from services.billing.rates import domain
from services.billing.rates import repository as repo
from services.billing.rates.schemas import (
    RateVersionIn,
    RateVersionOut,
    WinterAverageResult,
)


def check(v: RateVersionIn) -> None:
    seen: set[tuple[str, str]] = set()
    for i, c in enumerate(v.classes):
        key = (c.service, c.rate_class)
        if key in seen:
            raise Unprocessable(f"rate class {c.service}/{c.rate_class} appears twice",
                                field=f"classes.{i}")
        seen.add(key)
        if c.basis == "fixed_only":
            if c.blocks:
                raise Unprocessable("a fixed-only class has no blocks", field=f"classes.{i}")
            continue
        why = domain.validate_blocks([domain.Block(n, b.width, b.price)
                                      for n, b in enumerate(c.blocks, start=1)])
        if why:
            raise Unprocessable(why, field=f"classes.{i}.blocks")
    for name, items in (("fixed", [(f.service, f.meter_size) for f in v.fixed]),
                        ("fees", [(f.service, f.name) for f in v.fees]),
                        ("surcharges", [(x.service, str(x.stage)) for x in v.surcharges])):
        if len(set(items)) != len(items):
            raise Unprocessable(f"{name} has duplicates", field=name)


async def create(s: AsyncSession, who: Principal, v: RateVersionIn) -> RateVersionOut:
    check(v)
    if await repo.version_on(s, v.effective_date) is not None:
        raise Conflict("A rate version already takes effect on this date",
                       field="effective_date")
    vid = uuid.uuid4()
    await repo.insert_version(s, vid, v, who.sub)
    await audit.record(s, who, "create", "rate_version", str(vid), after=v)
    return RateVersionOut(id=vid, **v.model_dump())


async def in_force_from(s: AsyncSession, effective: date) -> bool:
    """Whether a version takes effect on `effective`."""
    return await repo.version_on(s, effective) is not None


async def get(s: AsyncSession, vid: uuid.UUID) -> RateVersionOut:
    v = await repo.version(s, vid)
    if v is None:
        raise NotFound("No such rate version", field="version_id")
    return v


async def list_all(s: AsyncSession) -> list[RateVersionOut]:
    return [await get(s, vid) for vid in await repo.version_ids(s)]


async def winter_averages(s: AsyncSession, who: Principal, start: date, end: date
                          ) -> WinterAverageResult:
    if end < start:
        raise Unprocessable("winter_end is before winter_start", field="winter_end")
    n = await repo.compute_winter_averages(s, start, end)
    await audit.record(s, who, "winter-averages", "rates", f"{start}..{end}", after={"n": n})
    return WinterAverageResult(premises=n)
