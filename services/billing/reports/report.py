"""Billing's reports as tables (kernel.reporttable renders them as PDF and CSV, with a bar
chart where one helps), and the catalogue that lists them on the staff app's Reports page."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from kernel.reporttable import Catalogue, CatalogueEntry, Cell, Chart, Table
from services.billing.reports import domain
from services.billing.reports.schemas import (
    BilledConsumption,
    BillsAndCredits,
    Connections,
    Conservation,
    LedgerTie,
    ReadsBySource,
    ReadsLine,
    Unbilled,
    WaterDelivered,
)

BASE = "/api/billing/reports"


def _entry(name: str, title: str, period: Literal["month", "year"],
           description: str) -> CatalogueEntry:
    return CatalogueEntry(name=name, title=title, description=description, period=period,
                          formats=["pdf", "csv"], path=f"{BASE}/{name}")


CATALOGUE = Catalogue(service="billing", reports=[
    _entry("billed-consumption", "Billed consumption and revenue", "month",
           "The month's bills less bills cancelled in it: consumption and revenue by service, "
           "rate class and meter size, tied to the ledger's bill entries."),
    _entry("bills-and-credits", "Bills, adjustments and credits", "month",
           "Every ledger entry of the month but payments, by kind, reason and who approved "
           "it, tied to the ledger."),
    _entry("unbilled", "Unbilled and zero-consumption accounts", "month",
           "Accounts in service with no bill posted in the month, and accounts billed for "
           "no metered water."),
    _entry("reads-by-source", "Meter reads by source", "month",
           "The month's reads by source and kind (actual, estimated), valid, pending and "
           "rejected."),
    _entry("conservation", "Conservation: residential water and R-GPCD", "month",
           "Residential water delivered in the month and residential gallons per capita per "
           "day for the configured service-area population."),
    _entry("connections", "Customers and service connections", "year",
           "Customers, accounts and service connections in force on the year's last day by "
           "service, rate class and meter size."),
    _entry("water-delivered", "Water delivered by customer class (EAR)", "year",
           "Potable water delivered by customer class by month, in the layout of the State "
           "Water Board's Electronic Annual Report."),
])


def _tie_note(t: LedgerTie) -> str:
    return (f"Ledger ({', '.join(t.kinds)}) for the same days: {t.ledger:,.2f}; this report "
            f"{t.report:,.2f}; difference {t.difference:,.2f}.")


def _size(s: str) -> str:
    return s or "(no meter)"


def billed_table(r: BilledConsumption) -> Table:
    by_service: dict[str, Decimal] = {}
    for x in r.lines:
        by_service[x.service] = by_service.get(x.service, domain.ZERO) + x.revenue
    return Table(
        title="Billed consumption and revenue", period=f"{r.month} ({r.start} to {r.end})",
        columns=["Service", "Rate class", "Meter size", "Bills", "Consumption (HCF)",
                 "Revenue"],
        rows=[[x.service, x.rate_class, _size(x.meter_size), x.bills, x.consumption,
               x.revenue] for x in r.lines],
        total=["Total", None, None, None, r.consumption, r.revenue],
        notes=["Bills count in the month their bill entry was posted; a bill cancelled in "
               "the month counts against it.", _tie_note(r.tie)],
        chart=Chart("Revenue by service", list(by_service), list(by_service.values())))


def entries_table(r: BillsAndCredits) -> Table:
    return Table(
        title="Bills, adjustments and credits", period=f"{r.month} ({r.start} to {r.end})",
        columns=["Kind", "Reason", "Approved by", "Entries", "Charges", "Credits", "Net"],
        rows=[[x.kind, x.reason, x.approved_by, x.entries, x.charges, x.credits, x.net]
              for x in r.lines],
        total=["Total", None, None, sum(x.entries for x in r.lines), r.charges, r.credits,
               r.net],
        notes=["Payments and their reversals are in payments' receipts by tender.",
               _tie_note(r.tie)])


def unbilled_table(r: Unbilled) -> Table:
    return Table(
        title="Unbilled and zero-consumption accounts",
        period=f"{r.month} ({r.start} to {r.end})",
        columns=["Account", "Name", "Status", "Cycle", "Reason", "Last billed"],
        rows=[[x.number, x.name, x.status, x.cycle, x.reason.replace("_", " "),
               x.last_billed.isoformat() if x.last_billed else None] for x in r.lines],
        notes=[f"Unbilled: {r.unbilled}; zero consumption: {r.zero_consumption}."])


def _reads_row(x: ReadsLine) -> list[Cell]:
    return [x.source.capitalize() if x.source != "total" else "Total", x.kind, x.valid,
            x.pending, x.rejected, x.total, x.usage]


def reads_table(r: ReadsBySource) -> Table:
    return Table(
        title="Meter reads by source", period=f"{r.month} ({r.start} to {r.end})",
        columns=["Source", "Kind", "Valid", "Pending", "Rejected", "Total", "Usage (valid)"],
        rows=[_reads_row(x) for x in r.lines], total=_reads_row(r.total),
        chart=Chart("Reads by source", [f"{x.source} {x.kind}" for x in r.lines],
                    [Decimal(x.total) for x in r.lines]))


def connections_table(r: Connections) -> Table:
    return Table(
        title="Customers and service connections", period=f"{r.year} (as of {r.as_of})",
        columns=["Service", "Rate class", "Meter size", "Customers", "Accounts",
                 "Connections", "Dwelling units"],
        rows=[[x.service, x.rate_class, _size(x.meter_size), x.customers, x.accounts,
               x.connections, x.dwelling_units] for x in r.lines],
        total=["Total", None, None, None, None, r.connections, None],
        notes=["From billing's copy of accounts' agreements, premises and meters. A customer "
               "with several services counts once in each line."])


def delivered_table(r: WaterDelivered) -> Table:
    keys = list(r.classes)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec"]
    return Table(
        title="Water delivered by customer class (Electronic Annual Report)",
        period=f"{r.year}, {r.unit}",
        columns=["Month", *r.classes.values(), "Total"],
        rows=[[months[m.month - 1], *(m.by_class[k] for k in keys), m.total]
              for m in r.months],
        total=["Total", *(r.totals[k] for k in keys), r.total],
        notes=["Metered potable deliveries as billed (volume lines of water and irrigation "
               "services) in the month each bill was posted; customer class from the "
               "premise's kind. Unit: CCF (hundred cubic feet, 748.052 gallons)."],
        chart=Chart("Delivered by month (CCF)", months, [m.total for m in r.months]))


def conservation_table(r: Conservation) -> Table:
    gpcd = "not configured" if r.r_gpcd is None else str(r.r_gpcd)
    return Table(
        title="Conservation: residential water and R-GPCD",
        period=f"{r.month} ({r.start} to {r.end})",
        columns=["Figure", "Value"],
        rows=[["Residential water delivered (CCF)", r.residential_hcf],
              ["Residential water delivered (gallons)", r.residential_gallons],
              ["All potable water delivered (CCF)", r.total_hcf],
              ["Service-area population", r.population or "not configured"],
              ["Days", r.days], ["R-GPCD (gallons per capita per day)", gpcd]],
        notes=["R-GPCD = residential gallons / population / days in the month "
               "(TAPLINE_SERVICE_AREA_POPULATION)."])
