"""All SQL of rate schedules and winter averages."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.rows import value_as
from services.billing.rates.schemas import (
    BlockIn,
    FeeIn,
    FixedCharge,
    RateClassIn,
    RateVersionIn,
    RateVersionOut,
    SurchargeIn,
)


async def version_on(s: AsyncSession, effective: date) -> uuid.UUID | None:
    return value_as(uuid.UUID, (await s.execute(
        text("SELECT id FROM rate_versions WHERE effective_date = :d"),
        {"d": effective})).scalar_one_or_none())


async def insert_version(s: AsyncSession, vid: uuid.UUID, v: RateVersionIn, who: str) -> None:
    await s.execute(text(
        "INSERT INTO rate_versions (id, name, effective_date, drought_stage, created_by) "
        "VALUES (:id, :n, :d, :st, :who)"),
        {"id": vid, "n": v.name, "d": v.effective_date, "st": v.drought_stage, "who": who})
    for f in v.fixed:
        await s.execute(text(
            "INSERT INTO rate_fixed (version_id, service, meter_size, amount) "
            "VALUES (:v, :s, :m, :a)"),
            {"v": vid, "s": f.service, "m": f.meter_size, "a": f.amount})
    for c in v.classes:
        await s.execute(text(
            "INSERT INTO rate_classes (version_id, service, rate_class, basis, cap, "
            "minimum_charge, widths_per_unit) VALUES (:v, :s, :c, :b, :cap, :min, :pu)"),
            {"v": vid, "s": c.service, "c": c.rate_class, "b": c.basis, "cap": c.cap,
             "min": c.minimum_charge, "pu": c.widths_per_unit})
        lower = Decimal(0)
        for i, b in enumerate(c.blocks, start=1):
            await s.execute(text(
                "INSERT INTO rate_blocks (version_id, service, rate_class, tier, lower, width, "
                "price) VALUES (:v, :s, :c, :t, :lo, :w, :p)"),
                {"v": vid, "s": c.service, "c": c.rate_class, "t": i, "lo": lower,
                 "w": b.width, "p": b.price})
            lower += b.width or 0
    for sc in v.surcharges:
        await s.execute(text(
            "INSERT INTO rate_surcharges (version_id, service, stage, price) "
            "VALUES (:v, :s, :st, :p)"), {"v": vid, "s": sc.service, "st": sc.stage,
                                          "p": sc.price})
    for fee in v.fees:
        await s.execute(text(
            "INSERT INTO rate_fees (version_id, service, name, amount) VALUES (:v, :s, :n, :a)"),
            {"v": vid, "s": fee.service, "n": fee.name, "a": fee.amount})


async def version_ids(s: AsyncSession) -> list[uuid.UUID]:
    return list((await s.execute(text(
        "SELECT id FROM rate_versions ORDER BY effective_date"))).scalars())


async def version(s: AsyncSession, vid: uuid.UUID) -> RateVersionOut | None:
    """A version as it was entered: its charges, classes with their blocks, surcharges, fees."""
    head = (await s.execute(text(
        "SELECT id, name, effective_date, drought_stage FROM rate_versions WHERE id = :v"),
        {"v": vid})).first()
    if head is None:
        return None
    p = {"v": vid}
    blocks = (await s.execute(text(
        "SELECT service, rate_class, width, price FROM rate_blocks WHERE version_id = :v "
        "ORDER BY service, rate_class, tier"), p)).all()
    classes = [RateClassIn(**c._asdict(), blocks=[
        BlockIn(width=b.width, price=b.price) for b in blocks
        if (b.service, b.rate_class) == (c.service, c.rate_class)]) for c in (await s.execute(text(
            "SELECT service, rate_class, basis, cap, minimum_charge, widths_per_unit "
            "FROM rate_classes WHERE version_id = :v ORDER BY service, rate_class"), p)).all()]
    return RateVersionOut(
        id=head.id, name=head.name, effective_date=head.effective_date,
        drought_stage=head.drought_stage, classes=classes,
        fixed=[FixedCharge.model_validate(r._asdict()) for r in (await s.execute(text(
            "SELECT service, meter_size, amount FROM rate_fixed WHERE version_id = :v "
            "ORDER BY service, meter_size"), p)).all()],
        surcharges=[SurchargeIn.model_validate(r._asdict()) for r in (await s.execute(text(
            "SELECT service, stage, price FROM rate_surcharges WHERE version_id = :v "
            "ORDER BY service, stage"), p)).all()],
        fees=[FeeIn.model_validate(r._asdict()) for r in (await s.execute(text(
            "SELECT service, name, amount FROM rate_fees WHERE version_id = :v "
            "ORDER BY service, name"), p)).all()])


async def compute_winter_averages(s: AsyncSession, start: date, end: date) -> int:
    """Each premise's average daily water use over valid reads dated in [start, end]."""
    res = await s.execute(text(
        """
        INSERT INTO winter_averages (premise_id, per_day, winter_start, winter_end)
        SELECT m.premise_id, sum(r.usage) / sum(r.days), :s, :e
        FROM reads r JOIN meters m ON m.id = r.meter_id
        WHERE r.status = 'valid' AND r.days > 0 AND r.usage IS NOT NULL
          AND r.read_on BETWEEN :s AND :e AND m.premise_id IS NOT NULL
        GROUP BY m.premise_id HAVING sum(r.days) > 0
        ON CONFLICT (premise_id) DO UPDATE SET per_day = excluded.per_day,
            winter_start = excluded.winter_start, winter_end = excluded.winter_end
        """), {"s": start, "e": end})
    return int(res.rowcount)  # type: ignore[attr-defined]
