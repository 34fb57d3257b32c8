"""Accounts' reports: deposits held and refunded in a year.

Customers and service connections by class and meter size are billing's report (its copy of
accounts' customers, premises, meters and agreements carries everything it needs), so it is
not repeated here."""

from __future__ import annotations

from datetime import date

from fastapi import Response
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.reporttable import Catalogue, download
from kernel.settings import get_settings
from services.accounts.reports import report
from services.accounts.reports import repository as repo
from services.accounts.reports.schemas import DepositMonthOut, Deposits


async def deposits(s: AsyncSession, year: int) -> Deposits:
    start, end = date(year, 1, 1), date(year, 12, 31)
    months = [DepositMonthOut.model_validate(r, from_attributes=True)
              for r in await repo.deposit_months(s, start, end)]
    fields = [f for f in DepositMonthOut.model_fields if f != "month"]
    total = DepositMonthOut(month=0, **{f: sum(getattr(m, f) for m in months) for f in fields})
    n, held_now = await repo.held_on_accounts(s)
    return Deposits(year=year, months=months, total=total,
                    held_opening=await repo.held_as_of(s, date(year - 1, 12, 31)),
                    held_closing=await repo.held_as_of(s, end),
                    accounts_holding_now=n, held_now=held_now)


def catalogue() -> Catalogue:
    return report.CATALOGUE


async def deposits_file(s: AsyncSession, year: int, fmt: str) -> Response:
    return download(report.deposits_table(await deposits(s, year)),
                    get_settings().utility_name, "pdf" if fmt == "pdf" else "csv",
                    f"deposits-{year}")
