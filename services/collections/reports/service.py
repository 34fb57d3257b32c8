"""Collections' reports: the month's aging with its roll, and the year's disconnections."""

from __future__ import annotations

from datetime import date

from fastapi import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.reporttable import Catalogue, download
from kernel.settings import get_settings
from services.collections.aging import service as aging
from services.collections.aging.domain import BUCKETS
from services.collections.reports import domain, report
from services.collections.reports import repository as repo
from services.collections.reports.schemas import (
    AgingRoll,
    BucketRoll,
    DisconnectionMonth,
    Disconnections,
    RollForward,
)


async def aging_roll(s: AsyncSession, month: str) -> AgingRoll:
    start, end = domain.month_range(month)
    before = domain.previous_day(start)
    opening, closing, announced = await aging.totals_on_two_days(s, before, end)
    rolls = domain.roll(BUCKETS, opening.buckets.model_dump(), closing.buckets.model_dump())
    act = await repo.activity(s, start, end)
    o, c = opening.balance, closing.balance
    return AgingRoll(
        month=month, opening_as_of=before, closing_as_of=end,
        buckets=[BucketRoll(bucket=r.bucket, opening=r.opening, closing=r.closing,
                            rolled_percent=r.rolled_percent) for r in rolls],
        unapplied_credit_opening=opening.unapplied_credit,
        unapplied_credit_closing=closing.unapplied_credit,
        roll_forward=RollForward(opening=o, charges=act.charges, credits=act.credits,
                                 closing=c, difference=o + act.charges - act.credits - c),
        billing_announced_total=announced)


async def disconnections(s: AsyncSession, year: int) -> Disconnections:
    rows = await repo.disconnections(s, date(year, 1, 1), date(year, 12, 31))
    months = [DisconnectionMonth.model_validate(r, from_attributes=True) for r in rows]
    total = DisconnectionMonth(
        month=0, disconnections=sum(m.disconnections for m in months),
        low_income=sum(m.low_income for m in months),
        residential=sum(m.residential for m in months),
        reconnected=sum(m.reconnected for m in months),
        reconnected_within_1_day=sum(m.reconnected_within_1_day for m in months))
    return Disconnections(year=year, months=months, total=total)


def catalogue() -> Catalogue:
    return report.CATALOGUE


async def aging_roll_file(s: AsyncSession, month: str, fmt: str) -> Response:
    return download(report.aging_roll_table(await aging_roll(s, month)),
                    get_settings().utility_name, "pdf" if fmt == "pdf" else "csv",
                    f"aging-roll-{month}")


async def disconnections_file(s: AsyncSession, year: int, fmt: str) -> Response:
    return download(report.disconnections_table(await disconnections(s, year)),
                    get_settings().utility_name, "pdf" if fmt == "pdf" else "csv",
                    f"disconnections-{year}")
