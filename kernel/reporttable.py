"""A report that is one table — a title, a header, rows, a total row — as CSV and as PDF, and
the catalogue entry that lists it on the staff app's Reports page.

Payments', collections' and accounts' reports are each a small table of figures (a month's
tenders, aging buckets, a year's months), so one renderer serves them all: the CSV is the table
as it stands (numbers as printed, a spreadsheet's to sum again), the PDF a landscape letter
page (fpdf2, core fonts: `latin1`) with the utility's name, the report's title and period, the
table, the total in bold, and notes under it (how the figures tie to the ledger).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from fastapi import Response
from fpdf import FPDF
from pydantic import BaseModel

from kernel.pdftext import latin1

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart drawn under the table as vector shapes (one bar a label)."""

    title: str
    labels: Sequence[str]
    values: Sequence[Decimal]


@dataclass(frozen=True)
class Table:
    title: str
    period: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    total: Sequence[Cell] | None = None
    notes: Sequence[str] = field(default_factory=tuple)
    chart: Chart | None = None


def _text(v: Cell) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v:,.2f}" if v.as_tuple().exponent == -2 else str(v)
    return str(v)


def to_csv(t: Table) -> str:
    """The table as CSV: the header, the rows, the total row; numbers without grouping."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(t.columns)
    for row in [*t.rows, *([t.total] if t.total else [])]:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def to_pdf(utility: str, t: Table) -> bytes:
    doc = FPDF(orientation="landscape", format="letter")
    doc.set_auto_page_break(auto=True, margin=12)
    doc.set_title(latin1(f"{t.title}, {t.period}"))
    doc.add_page()
    doc.set_font("Helvetica", "B", 13)
    doc.cell(0, 7, latin1(utility), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 11)
    doc.cell(0, 6, latin1(f"{t.title}: {t.period}"), new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    width = (doc.w - doc.l_margin - doc.r_margin) / max(1, len(t.columns))
    _row(doc, t.columns, width, bold=True, header=True)
    doc.set_font("Helvetica", "", 9)
    for row in t.rows:
        _body_row(doc, row, width)
    if t.total:
        _row(doc, t.total, width, bold=True)
    doc.ln(3)
    doc.set_font("Helvetica", "", 9)
    for note in t.notes:
        doc.multi_cell(0, 5, latin1(note), new_x="LMARGIN", new_y="NEXT")
    if t.chart and t.chart.values:
        _chart(doc, t.chart)
    return bytes(doc.output())


def _chart(doc: FPDF, c: Chart) -> None:
    """Bars scaled to the largest magnitude; a negative value is drawn left of the axis."""
    bar, gap, label_w = 5.0, 1.5, 70.0
    if doc.get_y() + 12 + len(c.values) * (bar + gap) > doc.h - doc.b_margin:
        doc.add_page()
    doc.ln(3)
    doc.set_font("Helvetica", "B", 10)
    doc.cell(0, 6, latin1(c.title), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 8)
    span = doc.w - doc.l_margin - doc.r_margin - label_w - 30
    top = max((abs(v) for v in c.values), default=Decimal(0)) or Decimal(1)
    neg = any(v < 0 for v in c.values)
    axis = doc.l_margin + label_w + (span / 2 if neg else 0)
    scale = (span / 2 if neg else span) / float(top)
    doc.set_fill_color(46, 109, 164)
    for label, v in zip(c.labels, c.values, strict=True):
        y = doc.get_y()
        doc.cell(label_w, bar, latin1(label[:40]))
        w = float(abs(v)) * scale
        if w > 0:
            doc.rect(axis - w if v < 0 else axis, y, w, bar, style="F")
        doc.set_xy((axis if v < 0 else axis + w) + 2, y)
        doc.cell(28, bar, latin1(_text(v)))
        doc.set_xy(doc.l_margin, y + bar + gap)


def _row(doc: FPDF, cells: Sequence[Cell], width: float, *, bold: bool = False,
         header: bool = False) -> None:
    doc.set_font("Helvetica", "B" if bold else "", 9)
    for i, v in enumerate(cells):
        numeric = isinstance(v, int | Decimal) and not isinstance(v, bool)
        doc.cell(width, 6, latin1(_text(v)), border="B" if header or bold else 0,
                 align="R" if numeric and i else "L")
    doc.ln(6)


def _body_row(doc: FPDF, cells: Sequence[Cell], width: float) -> None:
    """A plain row as `_row` draws it, placed with `text()`: `cell()` costs about 45 us a cell
    (styled-text layout for markdown, shaping, links a table does not use), 1.5 s for the
    5,700 rows of a 100,000-account district's unbilled list. Same place, baseline and
    alignment as `cell()`, and the same page break."""
    if doc.get_y() + 6 > doc.page_break_trigger:
        doc.add_page()
        doc.set_font("Helvetica", "", 9)
    left, margin = doc.get_x(), doc.c_margin
    baseline = doc.get_y() + 3 + 0.3 * doc.font_size
    for i, v in enumerate(cells):
        text = latin1(_text(v))
        if not text:
            continue
        x = left + i * width
        if isinstance(v, int | Decimal) and not isinstance(v, bool) and i:
            x += width - margin - doc.get_string_width(text)
        else:
            x += margin
        doc.text(x, baseline, text)
    doc.ln(6)


class CatalogueEntry(BaseModel):
    """One report a service offers: `GET {path}` is its JSON, `{path}.pdf` and `{path}.csv`
    its downloads, each with `?month=YYYY-MM` or `?year=YYYY` as `period` says."""

    name: str
    title: str
    description: str
    period: Literal["month", "year"]
    formats: list[str]
    path: str


class Catalogue(BaseModel):
    service: str
    reports: list[CatalogueEntry]


def download(t: Table, utility: str, fmt: Literal["pdf", "csv"], filename: str) -> Response:
    """The table as a PDF (inline) or a CSV (attachment) response."""
    if fmt == "pdf":
        return Response(to_pdf(utility, t), media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{filename}.pdf"'})
    return Response(to_csv(t), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})


#: OpenAPI `responses=` of a report download route.
DOWNLOAD_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/pdf": {}, "text/csv": {}}}}
