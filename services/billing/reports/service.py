"""Billing's reports: the month's billed consumption and revenue, bills and credits by reason,
unbilled accounts, reads by source; the year's connections and water delivered; the month's
conservation figures. Money reports carry the ledger's own total for the same days."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from fastapi import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.reporttable import Catalogue, Table, download
from kernel.settings import get_settings
from services.billing.reports import domain, report
from services.billing.reports import repository as repo
from services.billing.reports.schemas import (
    BilledConsumption,
    BilledLine,
    BillsAndCredits,
    ConnectionLine,
    Connections,
    Conservation,
    DeliveredMonth,
    EntryLine,
    LedgerTie,
    ReadsBySource,
    ReadsLine,
    Unbilled,
    UnbilledLine,
    WaterDelivered,
)

ZERO = domain.ZERO
BILL_KINDS = ["bill", "bill_cancel"]
PAYMENT_KINDS = ["payment", "payment_reversal"]


def catalogue() -> Catalogue:
    return report.CATALOGUE


def _tie(kinds: list[str], ledger: Decimal, ours: Decimal) -> LedgerTie:
    return LedgerTie(kinds=kinds, ledger=ledger, report=ours, difference=ours - ledger)


async def billed(s: AsyncSession, month: str) -> BilledConsumption:
    start, end = domain.month_range(month)
    lines = [BilledLine.model_validate(r, from_attributes=True)
             for r in await repo.billed(s, start, end)]
    revenue = sum((x.revenue for x in lines), start=ZERO)
    ledger = await repo.ledger_sum(s, start, end, BILL_KINDS)
    return BilledConsumption(
        month=month, start=start, end=end, lines=lines,
        consumption=sum((x.consumption for x in lines), start=Decimal(0)), revenue=revenue,
        tie=_tie(BILL_KINDS, ledger.amount, revenue))


async def bills_and_credits(s: AsyncSession, month: str) -> BillsAndCredits:
    start, end = domain.month_range(month)
    lines = [EntryLine(kind=r.kind, reason=r.reason, approved_by=r.approved_by,
                       entries=r.entries, charges=r.charges, credits=r.credits,
                       net=r.charges + r.credits)
             for r in await repo.entries(s, start, end)]
    net = sum((x.net for x in lines), start=ZERO)
    ledger = await repo.ledger_sum(s, start, end, None, exclude=PAYMENT_KINDS)
    return BillsAndCredits(
        month=month, start=start, end=end, lines=lines,
        charges=sum((x.charges for x in lines), start=ZERO),
        credits=sum((x.credits for x in lines), start=ZERO), net=net,
        tie=_tie(["all but " + ", ".join(PAYMENT_KINDS)], ledger.amount, net))


async def unbilled(s: AsyncSession, month: str) -> Unbilled:
    start, end = domain.month_range(month)
    lines = [UnbilledLine.model_validate(r, from_attributes=True)
             for r in await repo.unbilled(s, start, end, domain.POTABLE)]
    return Unbilled(month=month, start=start, end=end, lines=lines,
                    unbilled=sum(x.reason == "unbilled" for x in lines),
                    zero_consumption=sum(x.reason == "zero_consumption" for x in lines))


async def reads(s: AsyncSession, month: str) -> ReadsBySource:
    start, end = domain.month_range(month)
    lines = [ReadsLine(source=r.source, kind=r.kind, valid=r.valid, pending=r.pending,
                       rejected=r.rejected, total=r.valid + r.pending + r.rejected,
                       usage=r.usage) for r in await repo.reads(s, start, end)]
    total = ReadsLine(source="total", kind="", valid=sum(x.valid for x in lines),
                      pending=sum(x.pending for x in lines),
                      rejected=sum(x.rejected for x in lines),
                      total=sum(x.total for x in lines),
                      usage=sum((x.usage for x in lines), start=Decimal(0)))
    return ReadsBySource(month=month, start=start, end=end, lines=lines, total=total)


async def connections(s: AsyncSession, year: str) -> Connections:
    _, as_of = domain.year_range(year)
    lines = [ConnectionLine.model_validate(r, from_attributes=True)
             for r in await repo.connections(s, as_of)]
    return Connections(year=year, as_of=as_of, lines=lines,
                       customers=sum(x.customers for x in lines),
                       accounts=sum(x.accounts for x in lines),
                       connections=sum(x.connections for x in lines))


async def water_delivered(s: AsyncSession, year: str) -> WaterDelivered:
    start, end = domain.year_range(year)
    grid: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {k: Decimal(0) for k, _ in domain.EAR_CLASSES})
    for r in await repo.delivered(s, start, end, domain.POTABLE):
        grid[r.month][domain.ear_class(r.premise_kind)] += r.hcf
    months = [DeliveredMonth(month=m, by_class=grid[m], total=sum(grid[m].values(),
                                                                    start=Decimal(0)))
              for m in range(1, 13)]
    totals = {k: sum((x.by_class[k] for x in months), start=Decimal(0))
              for k, _ in domain.EAR_CLASSES}
    return WaterDelivered(year=year, unit="CCF", classes=dict(domain.EAR_CLASSES),
                          months=months, totals=totals,
                          total=sum(totals.values(), start=Decimal(0)))


async def conservation(s: AsyncSession, month: str) -> Conservation:
    start, end = domain.month_range(month)
    rows = await repo.delivered(s, start, end, domain.POTABLE)
    residential = sum((r.hcf for r in rows
                       if domain.ear_class(r.premise_kind) in domain.RESIDENTIAL),
                      start=Decimal(0))
    population = get_settings().service_area_population
    days = (end - start).days + 1
    return Conservation(
        month=month, start=start, end=end, days=days, residential_hcf=residential,
        residential_gallons=domain.gallons(residential),
        total_hcf=sum((r.hcf for r in rows), start=Decimal(0)), population=population,
        r_gpcd=domain.r_gpcd(residential, population, days))


async def file(s: AsyncSession, name: str, period: str, fmt: str) -> Response:
    """A report by its catalogue name as a PDF or a CSV."""
    table: Table
    match name:
        case "billed-consumption":
            table = report.billed_table(await billed(s, period))
        case "bills-and-credits":
            table = report.entries_table(await bills_and_credits(s, period))
        case "unbilled":
            table = report.unbilled_table(await unbilled(s, period))
        case "reads-by-source":
            table = report.reads_table(await reads(s, period))
        case "connections":
            table = report.connections_table(await connections(s, period))
        case "water-delivered":
            table = report.delivered_table(await water_delivered(s, period))
        case _:
            table = report.conservation_table(await conservation(s, period))
    return download(table, get_settings().utility_name, "pdf" if fmt == "pdf" else "csv",
                    f"{name}-{period}")
