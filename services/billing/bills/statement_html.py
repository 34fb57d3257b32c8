"""The same statement as one self-contained HTML page (e-bill and portal): inline styles, the
usage chart as inline SVG, the logo as a data URI, every value escaped. It says what the PDF says
(both draw one `Statement`); the stub becomes a "how to pay" panel with the same figures and the
scanline, so a customer who prints it can still mail it."""

from __future__ import annotations

import base64
from decimal import Decimal
from html import escape

from services.billing.bills.statement_model import Chart, Row, Statement
from services.billing.bills.statement_words import money, qty

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;
margin:0;background:#f4f6f8}
main{max-width:860px;margin:0 auto;background:#fff;padding:24px}
header{display:flex;justify-content:space-between;gap:16px;flex-wrap:wrap}
h1{font-size:1.35rem;color:#1f4e79;margin:0 0 8px}
h2{font-size:1.05rem;background:#1f4e79;color:#fff;padding:4px 8px;margin:20px 0 8px}
h3{font-size:1rem;background:#e8eef4;padding:4px 8px;margin:14px 0 6px}
table{width:100%;border-collapse:collapse}td,th{padding:3px 6px;text-align:left;
vertical-align:top}td.n{text-align:right;white-space:nowrap}th{font-weight:600}
.facts th{width:38%}.total td{font-weight:700;border-top:1px solid #333}
.detail{color:#555}.preview{color:#b00;font-weight:700}.stub{border:2px dashed #777;
padding:12px;margin-top:20px}.scanline{font-family:"OCR A Std","OCR-A",monospace;
font-size:1.1rem;letter-spacing:.08em}.translation{font-weight:600}
.alert{border:2px solid #1f4e79;padding:6px 8px;font-weight:600}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:20px}
@media (max-width:640px){.cols{grid-template-columns:1fr}main{padding:12px}}
"""


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _rows(rows: list[Row]) -> str:
    out = []
    for r in rows:
        amount = money(r.amount) if r.amount is not None else ""
        detail = f' <span class="detail">({_e(r.detail)})</span>' if r.detail else ""
        out.append(f"<tr><td>{_e(r.label)}{detail}</td><td class=n>{_e(amount)}</td></tr>")
    return "".join(out)


def _chart(c: Chart) -> str:
    w, h, base = 390, 150, 120
    peak = max((b.qty for b in c.bars), default=Decimal(0)) or Decimal(1)
    slot = (w - 20) / 13
    parts = [f'<svg viewBox="0 0 {w} {h}" width="100%" role="img" '
             f'aria-label="{_e(c.title)}"><line x1="20" y1="{base}" x2="{w}" y2="{base}" '
             f'stroke="#777"/>']
    for i, b in enumerate(c.bars):
        bh = float(b.qty / peak) * 95
        x = 20 + (13 - len(c.bars) + i) * slot
        fill = "#1f4e79" if b.current else "#96aabe"
        parts.append(f'<rect x="{x:.1f}" y="{base - bh:.1f}" width="{slot * .7:.1f}" '
                     f'height="{bh:.1f}" fill="{fill}"><title>{_e(b.label)}: {_e(qty(b.qty))} '
                     f'{_e(c.unit)}</title></rect>'
                     f'<text x="{x + slot * .35:.1f}" y="{base + 13}" font-size="9" '
                     f'text-anchor="middle">{_e(b.label)}</text>'
                     f'<text x="{x + slot * .35:.1f}" y="{base - bh - 3:.1f}" font-size="8" '
                     f'text-anchor="middle">{_e(qty(b.qty))}</text>')
    parts.append("</svg>")
    facts = "".join(f"<tr><th>{_e(f.label)}</th><td>{_e(f.value)}</td></tr>" for f in c.facts)
    return f"<h2>{_e(c.title)} ({_e(c.unit)})</h2>{''.join(parts)}<table>{facts}</table>"


def render(st: Statement) -> str:
    logo = ""
    if st.logo:
        mime = "image/png" if st.logo.startswith(b"\x89PNG") else "image/jpeg"
        logo = (f'<img src="data:{mime};base64,{base64.b64encode(st.logo).decode()}" '
                f'alt="{_e(st.district_name)}" style="max-height:56px">')
    header = "".join(f"<tr><th>{_e(f.label)}</th><td class=n>{_e(f.value)}</td></tr>"
                     for f in st.header)
    district = "<br>".join(_e(x) for x in st.district_lines)
    due = money(st.total_due.amount or Decimal(0))
    summary = _rows(st.summary) + (f'<tr class="total"><td>{_e(st.total_due.label)}</td>'
                                   f'<td class=n>{_e(due)}</td></tr>')
    services = []
    for svc in st.services:
        facts = "".join(f"<tr><th>{_e(f.label)}</th><td>{_e(f.value)}</td></tr>"
                        for f in svc.facts)
        segs = "".join((f'<tr><td colspan=2><em>{_e(g.heading)}</em></td></tr>'
                        if g.heading else "") + _rows(g.rows) for g in svc.segments)
        total = money(svc.total.amount or Decimal(0))
        services.append(f"<h3>{_e(svc.title)}</h3><table class=facts>{facts}</table>"
                        f"<table>{segs}<tr class=total><td>{_e(svc.total.label)}</td>"
                        f"<td class=n>{_e(total)}</td></tr></table>")
    budget = (f"<h2>{_e(st.budget_title)}</h2><table>{_rows(st.budget)}</table>"
              if st.budget else "")
    messages = (f"<h2>{_e(st.messages_title)}</h2><ul>"
                + "".join(f"<li>{_e(m)}</li>" for m in st.messages) + "</ul>"
                if st.messages else "")
    stub = ""
    if st.stub is not None:
        s = st.stub
        rows = [(s.account_label, s.account), (s.due_label, s.due),
                 (s.amount_label, s.amount), (s.after_label, s.after)]
        stub = (f'<section class="stub" aria-label="{_e(s.heading)}"><strong>{_e(s.heading)}'
                f'</strong>{"<p><strong>" + _e(s.autopay) + "</strong></p>" if s.autopay else ""}'
                f'<div class=cols><table class=facts>'
                + "".join(f"<tr><th>{_e(a)}</th><td class=n>{_e(b)}</td></tr>" for a, b in rows)
                + f'<tr><th>{_e(s.enclosed_label)}</th><td class=n>$ ________</td></tr>'
                + f'</table><div>{_e(s.remit_label)}:<br>'
                + "<br>".join(_e(x) for x in s.remit_to)
                + f'</div></div><p class="scanline">{_e(s.scanline)}</p></section>')
    preview = f'<p class="preview">{_e(st.preview)}</p>' if st.preview else ""
    alerts = "".join(f'<p class="alert" role="note">{_e(a)}</p>' for a in st.alerts)
    chart = _chart(st.chart) if st.chart is not None else ""
    return (f'<!doctype html><html lang="{st.lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(st.title)} {_e(st.account_number)}</title><style>{_CSS}</style>"
            f"</head><body><main>{preview}<header><div>{logo}<p><strong>"
            f"{_e(st.district_name)}</strong><br>{district}</p></div><div><h1>{_e(st.title)}"
            f"</h1><table class=facts>{header}</table></div></header>"
            f'<p class="translation" lang="{"en" if st.lang == "es" else "es"}">'
            f"{_e(st.translation)}</p><p>{'<br>'.join(_e(x) for x in st.mailing)}</p>"
            f"<div class=cols><section><h2>{_e(st.summary_title)}</h2><table>{summary}</table>"
            f"<p>{_e(st.late_words)}</p>{alerts}</section><section>{chart}</section></div>"
            f"<h2>{_e(st.services_title)} / {_e(st.charges_title)}</h2>{''.join(services)}"
            f"{budget}{messages}{stub}</main></body></html>")
