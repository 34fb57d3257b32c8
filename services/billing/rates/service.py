"""Use cases of rate schedules: enter a version, read versions back, compute winter averages."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal
from kernel.errors import Conflict, NotFound, Unprocessable
from services.billing.rates import domain
from services.billing.rates import repository as repo
from services.billing.rates.schemas import (
    BlockIn,
    FeeIn,
    FixedCharge,
    RateClassIn,
    RateVersionIn,
    RateVersionOut,
    SurchargeIn,
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


async def get(s: AsyncSession, vid: uuid.UUID) -> RateVersionOut:
    head = next((r for r in await repo.list_versions(s) if r.id == vid), None)
    if head is None:
        raise NotFound("No such rate version", field="version_id")
    p = await repo.version_parts(s, vid)
    classes = [RateClassIn(service=c.service, rate_class=c.rate_class, basis=c.basis, cap=c.cap,
                           minimum_charge=c.minimum_charge, widths_per_unit=c.widths_per_unit,
                           blocks=[BlockIn(width=b.width, price=b.price) for b in p["blocks"]
                                   if (b.service, b.rate_class) == (c.service, c.rate_class)])
               for c in p["classes"]]
    return RateVersionOut(
        id=vid, name=head.name, effective_date=head.effective_date,
        drought_stage=head.drought_stage, classes=classes,
        fixed=[FixedCharge(service=f.service, meter_size=f.meter_size, amount=f.amount)
               for f in p["fixed"]],
        surcharges=[SurchargeIn(service=x.service, stage=x.stage, price=x.price)
                    for x in p["surcharges"]],
        fees=[FeeIn(service=f.service, name=f.name, amount=f.amount) for f in p["fees"]])


async def list_all(s: AsyncSession) -> list[RateVersionOut]:
    return [await get(s, r.id) for r in await repo.list_versions(s)]


async def winter_averages(s: AsyncSession, who: Principal, start: object, end: object
                          ) -> WinterAverageResult:
    from datetime import date

    assert isinstance(start, date) and isinstance(end, date)
    if end < start:
        raise Unprocessable("winter_end is before winter_start", field="winter_end")
    n = await repo.compute_winter_averages(s, start, end)
    await audit.record(s, who, "winter-averages", "rates", f"{start}..{end}", after={"n": n})
    return WinterAverageResult(premises=n)
