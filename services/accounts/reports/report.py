"""Accounts' reports as tables (kernel.reporttable renders them as PDF and CSV), and the
catalogue that lists them."""

from __future__ import annotations

import calendar

from kernel.reporttable import Catalogue, CatalogueEntry, Cell, Table
from services.accounts.reports.schemas import DepositMonthOut, Deposits

CATALOGUE = Catalogue(service="accounts", reports=[CatalogueEntry(
    name="deposits", title="Deposits held and refunded",
    description="Deposits required, waived, refunded and credited to bills in the year by "
                "month, and what is held at the year's opening and closing.",
    period="year", formats=["pdf", "csv"], path="/api/accounts/reports/deposits")])


def _month(m: DepositMonthOut, label: str) -> list[Cell]:
    return [label, m.required, m.required_amount, m.waived, m.waived_amount, m.refunded,
            m.refunded_amount, m.credited, m.credited_amount]


def deposits_table(r: Deposits) -> Table:
    return Table(
        title="Deposits held and refunded", period=str(r.year),
        columns=["Month", "Required", "Amount", "Waived", "Amount", "Refunded", "Amount",
                 "Credited", "Amount"],
        rows=[_month(m, calendar.month_name[m.month]) for m in r.months],
        total=_month(r.total, "Year"),
        notes=[f"Held at the opening {r.held_opening:,.2f} + required "
               f"{r.total.required_amount:,.2f} - refunded {r.total.refunded_amount:,.2f} - "
               f"credited {r.total.credited_amount:,.2f} = held at the closing "
               f"{r.held_closing:,.2f}.",
               f"Held today on {r.accounts_holding_now} accounts: {r.held_now:,.2f}."])
