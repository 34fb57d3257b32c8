"""The certified tax-roll list as a PDF (fpdf2, as the aging report): the parcels by APN, the
totals, and the certification statement with a place to sign. Rendering only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from fpdf import FPDF

from kernel.pdftext import latin1
from services.collections.liens.domain import Listed

_WIDTHS = (34, 28, 62, 50, 22)


def _row(doc: FPDF, cells: Sequence[str], bold: bool = False) -> None:
    doc.set_font("Helvetica", "B" if bold else "", 8)
    for i, (w, c) in enumerate(zip(_WIDTHS, cells, strict=True)):
        doc.cell(w, 5, latin1(c), border="B" if bold else 0, align="R" if i == 4 else "L")
    doc.ln(5)


def pdf(utility: str, county: str, tax_year: int, certified_on: date,
        rows: Sequence[Listed], total: Decimal, statement: str, certified_by: str,
        title: str) -> bytes:
    doc = FPDF(format="letter")
    doc.set_auto_page_break(auto=True, margin=14)
    doc.add_page()
    doc.set_font("Helvetica", "B", 12)
    doc.cell(0, 7, latin1(utility), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 10)
    doc.cell(0, 6, latin1(f"Delinquent charges certified for the {tax_year}-"
                          f"{(tax_year + 1) % 100:02d} property tax roll, {county}"),
             new_x="LMARGIN", new_y="NEXT")
    doc.cell(0, 6, f"Certified on {certified_on.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)
    doc.set_font("Helvetica", "B", 10)
    doc.cell(0, 6, f"Totals: {len(rows)} parcels, ${total:,.2f}", new_x="LMARGIN",
             new_y="NEXT")
    doc.ln(2)
    _row(doc, ("APN", "Account", "Owner", "Service address", "Amount"), bold=True)
    for r in rows:
        _row(doc, (r.apn, r.number, r.owner_name[:38], r.service_address[:32],
                   f"{r.amount:,.2f}"))
    _row(doc, ("TOTAL", f"{len(rows)} parcels", "", "", f"{total:,.2f}"), bold=True)
    doc.ln(6)
    doc.set_font("Helvetica", "B", 10)
    doc.cell(0, 6, "Certification", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 9)
    doc.multi_cell(0, 5, latin1(statement), new_x="LMARGIN", new_y="NEXT")
    doc.ln(12)
    doc.cell(90, 5, "_" * 40)
    doc.cell(0, 5, "_" * 24, new_x="LMARGIN", new_y="NEXT")
    doc.cell(90, 5, latin1(f"{certified_by}, {title}"))
    doc.cell(0, 5, "Date", new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
