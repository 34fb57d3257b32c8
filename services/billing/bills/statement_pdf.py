"""The statement as a PDF (fpdf2): one letter sheet, printed on both sides, for a #10
double-window envelope.

Front: the top third shows through the envelope's windows, the district's return address in the
upper one (7/8" from the left, 5/8" from the top, 3 1/4" x 7/8") and the customer's mailing
block in the lower one (7/8" from the left, 2" from the top, 3 3/4" x 1"); the middle third has
the account summary and the usage chart; the bottom third is the remittance stub, whose remit-to
address sits where a #9 return envelope's window is (7/8" from the stub's left, 1 3/8" below
the tear line) and whose scanline is OCR-A, 10 pt, 5/8" above the bottom edge. Back: service
details and charges by service, budget billing, messages, the translation line.

Text is drawn with `FPDF.text` at computed positions (no cells): word widths are measured once
and cached, which keeps a two-page statement at a few milliseconds (tests/perf/
bench_statements.py). Core fonts carry Latin-1, which has every Spanish letter.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO

from fpdf import FPDF

from kernel.pdftext import latin1
from services.billing.bills.statement_model import Statement
from services.billing.bills.statement_pdf_back import back, chart
from services.billing.bills.statement_pdf_kit import ACCENT, LEFT, LIGHT, RIGHT, Kit, band
from services.billing.bills.statement_words import money

INCH = 25.4
RETURN_WINDOW = (7 / 8 * INCH, 5 / 8 * INCH, 3.25 * INCH, 7 / 8 * INCH)  # x, y, w, h
MAILING_WINDOW = (7 / 8 * INCH, 2 * INCH, 3.75 * INCH, 1.0 * INCH)
FOLDS = (279.4 / 3, 279.4 * 2 / 3)
STUB_TOP = FOLDS[1]
REMIT_WINDOW = (7 / 8 * INCH, STUB_TOP + 1.375 * INCH, 3.5 * INCH, 1.0 * INCH)
SCANLINE_Y = 279.4 - 5 / 8 * INCH
FONT = Path(__file__).with_name("fonts") / "OCRA.ttf"
def new_document(on: date, title: str) -> FPDF:
    pdf = FPDF(format="letter", unit="mm")
    pdf.set_auto_page_break(auto=False)
    pdf.set_creation_date(datetime.combine(on, time(), UTC))
    pdf.set_producer("Tapline")
    pdf.set_title(latin1(title))
    pdf.add_font("OCRA", "", str(FONT))
    pdf.set_line_width(0.25)
    return pdf


def _front_top(k: Kit, st: Statement) -> None:
    pdf = k.pdf
    x, y, w, _ = RETURN_WINDOW
    if st.logo:
        pdf.image(io.BytesIO(st.logo), x=x, y=3.5, h=11, keep_aspect_ratio=True)
    k.font("B", 10.5)
    k.text(x, y + 0.5, st.district_name)
    k.font("", 8.5)
    for i, line in enumerate(st.return_address[1:4]):
        k.text(x, y + 5.2 + i * 3.9, line)
    # the mailing block, in the lower window
    x, y, w, _ = MAILING_WINDOW
    k.font("", 10)
    for i, line in enumerate(st.mailing[:5]):
        k.text(x + 1, y + 2 + i * 4.6, line)
    # right: title, the bill's facts, how to reach the district
    rx, rw = 118.0, RIGHT - 118.0
    k.font("B", 13)
    pdf.set_text_color(*ACCENT)
    k.text(RIGHT, 9, st.title, "R")
    pdf.set_text_color(0)
    top = 16.5
    pdf.set_fill_color(*LIGHT)
    pdf.rect(rx, top, rw, 6.2 * len(st.header) + 1.5, style="F")
    for i, f in enumerate(st.header):
        last = i == len(st.header) - 1
        k.font("B" if last else "", 10.5 if last else 9)
        k.text(rx + 2.5, top + 1.5 + i * 6.2, f.label)
        k.font("B", 10.5 if last else 9)
        k.text(RIGHT - 2.5, top + 1.5 + i * 6.2, f.value, "R")
    k.font("", 7.8)
    yy = top + 6.2 * len(st.header) + 4
    for line in st.district_lines[len(st.return_address) - 1:]:
        for part in k.wrap(line, rw):
            k.pdf.text(rx, yy + 2.6, part)
            yy += 3.6
    k.font("B", 8.5)
    k.text(MAILING_WINDOW[0], 81, st.translation)
    if st.preview:
        k.font("B", 12)
        pdf.set_text_color(190, 0, 0)
        k.text(rx, 86, st.preview)
        pdf.set_text_color(0)
    pdf.set_draw_color(150)
    for fold in FOLDS[:1]:
        pdf.line(3, fold, 8, fold)
    pdf.set_draw_color(0)


def _summary(k: Kit, st: Statement, x: float, y: float, w: float) -> float:
    y = band(k, x, y, w, st.summary_title)
    k.font("", 9)
    for r in st.summary:
        k.text(x + 1, y, r.label)
        k.text(x + w - 1, y, money(r.amount) if r.amount is not None else "", "R")
        y += 4.8
    k.pdf.line(x, y, x + w, y)
    y += 1.5
    k.font("B", 11)
    k.text(x + 1, y, st.total_due.label)
    k.text(x + w - 1, y, money(st.total_due.amount or Decimal(0)), "R")
    y += 7
    k.font("", 8.5)
    y = k.para(st.late_words, x + 1, y, w - 2, 4) + 3
    for alert in st.alerts:  # autopay or past due: boxed, where the eye already is
        lines = k.wrap(alert, w - 6)
        k.pdf.set_draw_color(*ACCENT)
        k.pdf.set_line_width(0.5)
        k.pdf.rect(x, y, w, len(lines) * 4.2 + 3)
        k.pdf.set_line_width(0.25)
        k.pdf.set_draw_color(0)
        k.font("B", 8.5)
        y = k.para(alert, x + 3, y + 1.5, w - 6, 4.2) + 4
    return y


def _stub(k: Kit, st: Statement) -> None:
    s = st.stub
    if s is None:
        return
    pdf = k.pdf
    pdf.set_dash_pattern(dash=1.5, gap=1.2)
    pdf.line(0, STUB_TOP, 215.9, STUB_TOP)
    pdf.set_dash_pattern()
    y = STUB_TOP + 3
    k.font("B", 9)
    k.text(LEFT + 10, y, s.heading)
    k.font("B", 10)
    k.text(RIGHT - 2, y, st.district_name, "R")
    # the facts box on the right, with the amount enclosed
    bx, bw, row = 118.0, RIGHT - 118.0, 7.0
    rows = [(s.account_label, s.account), (s.due_label, s.due), (s.amount_label, s.amount),
            (s.after_label, s.after)]
    top = y + 7
    pdf.rect(bx, top, bw, row * (len(rows) + 1))
    for i, (label, value) in enumerate(rows):
        yy = top + i * row
        k.font("", 8.5)
        k.text(bx + 2, yy + 2, label)
        k.font("B", 10)
        k.text(RIGHT - 2, yy + 1.7, value, "R")
        pdf.line(bx, yy + row, bx + bw, yy + row)
    yy = top + len(rows) * row
    k.font("B", 9)
    k.text(bx + 2, yy + 2, s.enclosed_label)
    pdf.rect(bx + bw * 0.55, yy + 1, bw * 0.45 - 2, row - 2)
    k.font("", 10)
    k.text(bx + bw * 0.55 + 1.5, yy + 1.7, "$")
    if s.autopay:
        k.font("B", 10)
        k.text(bx, yy + row + 2, s.autopay)
    # the customer (so a stub without its envelope still says whose it is) ...
    k.font("", 8.5)
    for i, line in enumerate(st.mailing[:2]):
        k.text(LEFT + 10, y + 7 + i * 4, line)
    # ... and the remittance address, in the return envelope's window
    x, wy, _, _ = REMIT_WINDOW
    k.font("", 7.5)
    k.text(x, wy - 4.5, s.remit_label)
    k.font("", 10)
    for i, line in enumerate(s.remit_to[:5]):
        k.text(x, wy + i * 4.6, line)
    pdf.set_font("OCRA", "", 10)
    pdf.text(LEFT + 10, SCANLINE_Y, s.scanline)
    k.style = "?"  # the current font is OCR-A now


def add_statement(pdf: FPDF, st: Statement, k: Kit | None = None) -> int:
    """Draw one statement on new pages; returns how many."""
    k = k or Kit(pdf)
    first = pdf.page_no()
    pdf.add_page()
    k.style = "?"
    _front_top(k, st)
    mid = FOLDS[0] + 4
    _summary(k, st, LEFT, mid, 100)
    if st.chart is not None:
        chart(k, st.chart, 118.0, mid, RIGHT - 118.0)
    _stub(k, st)
    back(k, st)
    return pdf.page_no() - first


def render(st: Statement, on: date) -> bytes:
    pdf = new_document(on, f"Statement {st.account_number}")
    add_statement(pdf, st)
    return bytes(pdf.output())


def render_batch(statements: Iterable[Statement], on: date, out: IO[bytes],
                 title: str = "Statements") -> list[tuple[Statement, int, int]]:
    """Statements in one PDF written to `out`: (statement, first page, pages) for each."""
    pdf = new_document(on, title)
    k = Kit(pdf)
    index = []
    for st in statements:
        start = pdf.page_no() + 1
        index.append((st, start, add_statement(pdf, st, k)))
    out.write(pdf.output())
    return index
