"""Collections' reports as tables (kernel.reporttable renders them as PDF and CSV), and the
catalogue that lists them."""

from __future__ import annotations

import calendar

from kernel.reporttable import Catalogue, CatalogueEntry, Cell, Table
from services.collections.reports.schemas import AgingRoll, DisconnectionMonth, Disconnections

CATALOGUE = Catalogue(service="collections", reports=[
    CatalogueEntry(
        name="aging-roll", title="Aging with the month's roll",
        description="The receivable by days past due at the month's opening and closing, how "
                    "much of each bucket rolled into the next, and the balance rolled forward "
                    "through the month's charges and credits (ties to the ledger).",
        period="month", formats=["pdf", "csv"], path="/api/collections/reports/aging-roll"),
    CatalogueEntry(
        name="disconnections", title="Disconnections for non-payment (SB 998)",
        description="Disconnections for non-payment completed in the year, by month: low "
                    "income, residential, reconnected (and within a day).",
        period="year", formats=["pdf", "csv"],
        path="/api/collections/reports/disconnections"),
])

_BUCKETS = {"current": "Current", "days_1_30": "1-30 days", "days_31_60": "31-60 days",
            "days_61_90": "61-90 days", "days_91_120": "91-120 days",
            "days_over_120": "Over 120 days"}


def aging_roll_table(r: AgingRoll) -> Table:
    rf = r.roll_forward
    rows: list[list[Cell]] = [
        [_BUCKETS.get(b.bucket, b.bucket), b.opening, b.closing, b.closing - b.opening,
         f"{b.rolled_percent}%" if b.rolled_percent is not None else ""]
        for b in r.buckets]
    rows.append(["Unapplied credit", -r.unapplied_credit_opening, -r.unapplied_credit_closing,
                 r.unapplied_credit_opening - r.unapplied_credit_closing, ""])
    return Table(
        title="Aging with the month's roll", period=f"{r.month} ({r.opening_as_of} to "
                                                   f"{r.closing_as_of})",
        columns=["Bucket", "Opening", "Closing", "Change", "Rolled to next"],
        rows=rows, total=["Balance", rf.opening, rf.closing, rf.closing - rf.opening, ""],
        notes=[f"Roll forward: opening {rf.opening:,.2f} + charges {rf.charges:,.2f} - "
               f"credits {rf.credits:,.2f} = {rf.opening + rf.charges - rf.credits:,.2f}; "
               f"closing {rf.closing:,.2f}; difference {rf.difference:,.2f}.",
               "Rolled to next: of what a bucket held at the opening, the share found in the "
               "next older bucket at the closing."])


def _month(m: DisconnectionMonth, label: str) -> list[Cell]:
    return [label, m.disconnections, m.low_income, m.residential, m.reconnected,
            m.reconnected_within_1_day]


def disconnections_table(r: Disconnections) -> Table:
    return Table(
        title="Disconnections for non-payment (SB 998)", period=str(r.year),
        columns=["Month", "Disconnections", "Low income", "Residential", "Reconnected",
                 "Within a day"],
        rows=[_month(m, calendar.month_name[m.month]) for m in r.months],
        total=_month(r.total, "Year"),
        notes=["Completed disconnections of water service for non-payment (Health and Safety "
               "Code 116922), by the day the field order was completed."])
