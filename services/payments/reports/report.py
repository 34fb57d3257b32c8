"""Payments' reports as tables (kernel.reporttable renders them as PDF and CSV), and the
catalogue that lists them."""

from __future__ import annotations

from kernel.reporttable import Catalogue, CatalogueEntry, Cell, Table
from services.payments.reports.schemas import ReceiptsByTender, TenderLine

CATALOGUE = Catalogue(service="payments", reports=[CatalogueEntry(
    name="receipts-by-tender", title="Receipts by tender",
    description="The month's posted receipts and returns by tender (cash, check, money "
                "order, card, bank), tied to the ledger's payments for the same days.",
    period="month", formats=["pdf", "csv"],
    path="/api/payments/reports/receipts-by-tender")])

_NAMES = {"cash": "Cash", "check": "Check", "money_order": "Money order", "card": "Card",
          "bank": "Bank (ACH)", "total": "Total"}


def _line(x: TenderLine) -> list[Cell]:
    return [_NAMES.get(x.tender, x.tender), x.receipts, x.amount, x.returns, x.returned, x.net]


def receipts_table(r: ReceiptsByTender) -> Table:
    return Table(
        title="Receipts by tender", period=f"{r.month} ({r.start} to {r.end})",
        columns=["Tender", "Receipts", "Amount", "Returns", "Returned", "Net"],
        rows=[_line(x) for x in r.lines], total=_line(r.total),
        notes=[f"Ledger (payments' copy of billing's): payments {r.ledger.payments:,.2f}, "
               f"reversals {r.ledger.reversals:,.2f}; receipts less ledger "
               f"{r.ledger.receipts_less_ledger:,.2f}, returns less ledger "
               f"{r.ledger.returns_less_ledger:,.2f}."])
