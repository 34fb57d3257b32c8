"""The statement's usage chart (vector bars) and its back page: service details and charges by
service, budget billing, messages and the line in the other language."""

from __future__ import annotations

from decimal import Decimal

from services.billing.bills.statement_model import Chart, Row, ServiceBlock, Statement
from services.billing.bills.statement_pdf_kit import ACCENT, GREY, LEFT, LIGHT, RIGHT, Kit, band
from services.billing.bills.statement_words import money, qty

BOTTOM = 268.0


def chart(k: Kit, c: Chart, x: float, y: float, w: float) -> float:
    """13 bars, the current one in the accent colour, last year's same period outlined."""
    pdf = k.pdf
    y = band(k, x, y, w, c.title)
    top, height = y + 4, 38.0
    base = top + height
    peak = max((b.qty for b in c.bars), default=Decimal(0))
    peak = peak if peak > 0 else Decimal(1)
    n = max(len(c.bars), 1)
    slot = (w - 8) / 13
    bar_w = slot * 0.7
    k.font("", 6.5)
    pdf.set_draw_color(*GREY)
    pdf.line(x + 6, base, x + w, base)
    k.text(x + 5, top - 2.5, c.unit, "R")
    k.text(x + 5, base - 2.4, "0", "R")
    k.text(x + 5, top - 0.5, qty(peak), "R")
    pdf.set_draw_color(0)
    start = x + 8 + (13 - n) * slot
    for i, b in enumerate(c.bars):
        h = float(b.qty / peak) * height
        bx = start + i * slot
        pdf.set_fill_color(*(ACCENT if b.current else (150, 170, 190)))
        if h > 0:
            pdf.rect(bx, base - h, bar_w, h, style="F")
        k.text(bx + bar_w / 2, base + 0.8, b.label, "C")
        k.text(bx + bar_w / 2, base - h - 3, qty(b.qty), "C")
    y = base + 5.5
    for f in c.facts:
        k.font("B", 8)
        k.text(x + 1, y, f.label)
        room = k.width(f.label) + 3
        k.font("", 8)
        if room + k.width(f.value) > w - 2:
            y += 3.8
        k.text(RIGHT - 1, y, f.value, "R")
        y += 4.2
    return y


def _room(k: Kit, y: float, need: float) -> float:
    if y + need <= BOTTOM:
        return y
    k.pdf.add_page()
    k.style = "?"
    return 15.0


def _rows(k: Kit, rows: list[Row], y: float, x: float = LEFT) -> float:
    for r in rows:
        y = _room(k, y, 4.6)
        k.font("", 8.5)
        k.text(x + 2, y, r.label)
        if r.detail:
            k.pdf.set_text_color(*GREY)
            k.text(150, y, r.detail, "R")
            k.pdf.set_text_color(0)
        if r.amount is not None:
            k.text(RIGHT - 1, y, money(r.amount), "R")
        y += 4.4
    return y


def _service(k: Kit, s: ServiceBlock, y: float) -> float:
    pdf = k.pdf
    y = _room(k, y, 30)
    pdf.set_fill_color(*LIGHT)
    pdf.rect(LEFT, y, RIGHT - LEFT, 5.5, style="F")
    k.font("B", 9.5)
    k.text(LEFT + 2, y + 1.1, s.title)
    y += 7
    # the facts in two columns
    half = (len(s.facts) + 1) // 2
    k.font("B", 7.8)
    cols = [min(max((k.width(f.label) for f in part), default=0) + 3, 42)
            for part in (s.facts[:half], s.facts[half:])]
    for i, f in enumerate(s.facts):
        col = 0 if i < half else 1
        fx = LEFT + 2 + col * 92
        fy = y + (i - col * half) * 4.2
        k.font("B", 7.8)
        k.text(fx, fy, f.label)
        k.font("", 7.8)
        k.text(fx + cols[col], fy, f.value[:80])
    y += half * 4.2 + 1.5
    for seg in s.segments:
        if seg.heading:
            y = _room(k, y, 9)
            k.font("I", 8)
            k.text(LEFT + 2, y, seg.heading)
            y += 4.2
        y = _rows(k, seg.rows, y, LEFT + 2)
    pdf.line(LEFT + 100, y, RIGHT, y)
    y += 1
    k.font("B", 9)
    k.text(LEFT + 100, y, s.total.label)
    k.text(RIGHT - 1, y, money(s.total.amount or Decimal(0)), "R")
    return y + 6.5


def back(k: Kit, st: Statement) -> None:
    k.pdf.add_page()
    k.style = "?"
    k.font("", 7.5)
    k.pdf.set_text_color(*GREY)
    k.text(LEFT, 7, f"{st.district_name} - {st.account_number}")
    k.pdf.set_text_color(0)
    y = band(k, LEFT, 11, RIGHT - LEFT, f"{st.services_title} / {st.charges_title}")
    for s in st.services:
        y = _service(k, s, y)
    if st.budget:
        y = _room(k, y, 25)
        y = band(k, LEFT, y, RIGHT - LEFT, st.budget_title)
        y = _rows(k, st.budget, y) + 3
    if st.messages:
        y = _room(k, y, 20)
        y = band(k, LEFT, y, RIGHT - LEFT, st.messages_title)
        k.font("", 8.5)
        for m in st.messages:
            y = _room(k, y, 9)
            k.pdf.set_fill_color(*ACCENT)
            k.pdf.rect(LEFT + 1, y + 1.3, 1.2, 1.2, style="F")
            y = k.para(m, LEFT + 4, y, RIGHT - LEFT - 5, 4) + 1.5
