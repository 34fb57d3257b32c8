"""The monthly aging report as CSV and PDF (fpdf2, as billing's statements and payments'
receipts). Rendering only: the figures come from `service.report`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from fpdf import FPDF

from kernel.pdftext import latin1
from services.collections.aging.domain import BUCKETS
from services.collections.aging.schemas import AgingReport

CSV_COLUMNS: tuple[str, ...] = (
    "account_id", "account_number", "name", "status", *BUCKETS, "unapplied_credit", "balance",
    "days_past_due",
)
_HEAD = ("Current", "1-30", "31-60", "61-90", "91-120", "Over 120")


def _money(d: Decimal) -> str:
    return f"{d:.2f}"


def csv_chunks(report: AgingReport, rows_per_chunk: int = 1000) -> Iterator[str]:
    """The CSV in chunks (a streamed response): a header, a row per account, and a last row
    `TOTAL` whose balance ties to billing's ledger."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for i, r in enumerate(report.rows, 1):
        b = r.buckets.model_dump()
        w.writerow([r.account_id, r.number or "", r.name or "", r.status or "",
                    *(_money(b[k]) for k in BUCKETS), _money(r.unapplied_credit),
                    _money(r.balance), r.days_past_due])
        if i % rows_per_chunk == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    t = report.totals
    tb = t.buckets.model_dump()
    w.writerow(["TOTAL", "", f"{t.accounts} accounts as of {report.as_of}", "",
                *(_money(tb[k]) for k in BUCKETS), _money(t.unapplied_credit),
                _money(t.balance), ""])
    yield buf.getvalue()


def pdf(utility: str, report: AgingReport) -> bytes:
    doc = FPDF(orientation="landscape", format="letter")
    doc.set_auto_page_break(auto=True, margin=12)
    doc.add_page()
    doc.set_font("Helvetica", "B", 13)
    doc.cell(0, 7, latin1(utility), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 10)
    doc.cell(0, 6, f"Aging of the receivable as of {report.as_of}", new_x="LMARGIN",
             new_y="NEXT")
    t = report.totals
    tb = t.buckets.model_dump()
    doc.ln(2)
    _row(doc, ("", "", *_HEAD, "Credit", "Balance"), bold=True)
    _row(doc, (f"Total ({t.accounts} accounts)", "", *(_money(tb[k]) for k in BUCKETS),
               _money(t.unapplied_credit), _money(t.balance)), bold=True)
    doc.ln(3)
    _row(doc, ("Account", "Name", *_HEAD, "Credit", "Balance"), bold=True)
    doc.set_font("Helvetica", "", 8)
    for r in report.rows:
        b = r.buckets.model_dump()
        _plain_row(doc, (r.number or str(r.account_id)[:8], (r.name or "")[:28],
                         *(_money(b[k]) for k in BUCKETS), _money(r.unapplied_credit),
                         _money(r.balance)))
    return bytes(doc.output())


_WIDTHS = (26, 52, 22, 22, 22, 22, 22, 22, 20, 24)


def _row(doc: FPDF, cells: tuple[str, ...], bold: bool = False) -> None:
    doc.set_font("Helvetica", "B" if bold else "", 8)
    for i, (w, c) in enumerate(zip(_WIDTHS, cells, strict=True)):
        doc.cell(w, 5, latin1(c), align="L" if i < 2 else "R",
                 new_x="LMARGIN" if i == len(cells) - 1 else "RIGHT",
                 new_y="NEXT" if i == len(cells) - 1 else "TOP")


def _plain_row(doc: FPDF, cells: tuple[str, ...]) -> None:
    """An account's row where `_row` would put it, placed with `text()`: `cell()` costs about
    45 us a cell (layout for styled text a table does not use), which made a 20,000-row aging
    list (a 100,000-account district, a fifth past due) a 20-second PDF. Same baseline,
    alignment and page break as `cell()`."""
    if doc.get_y() + 5 > doc.page_break_trigger:
        doc.add_page()
        doc.set_font("Helvetica", "", 8)
    x, margin = doc.l_margin, doc.c_margin
    baseline = doc.get_y() + 2.5 + 0.3 * doc.font_size
    for i, (w, c) in enumerate(zip(_WIDTHS, cells, strict=True)):
        text = latin1(c)
        if text:
            left = x + margin if i < 2 else x + w - margin - doc.get_string_width(text)
            doc.text(left, baseline, text)
        x += w
    doc.set_xy(doc.l_margin, doc.get_y() + 5)
