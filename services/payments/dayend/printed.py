"""The end-of-day report on paper (fpdf2, core fonts, as the receipts and the deposit slip) and
as CSV for a spreadsheet: the same figures as the JSON report, section by section. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from fpdf import FPDF

from kernel.pdftext import latin1
from services.payments.dayend.schemas import DayEndReport


def _m(amount: object) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def _rows(r: DayEndReport) -> Iterable[tuple[str, Sequence[object]]]:
    """(section, cells) in report order; both renderings draw these."""
    yield "totals", ("all payments", r.totals.count, r.totals.total)
    for c in r.by_channel:
        yield "channel", (c.channel, c.count, c.total)
    for t in r.by_tender:
        yield "tender", (t.tender, t.count, t.total)
    for ct in r.by_channel_tender:
        yield "channel-tender", (f"{ct.channel}/{ct.tender} ({ct.settled_by})", ct.count,
                                 ct.total)
    for st in r.by_settlement:
        yield "settled by", (st.settled_by, st.count, st.total)
    for d in r.drawers:
        yield "drawer", (f"{d.cashier} {d.status} float {_m(d.float_amount)} counted "
                         f"{_m(d.counted_cash)} over/short {_m(d.over_short)} deposit "
                         f"{d.deposit_number or '-'}", sum(t.count for t in d.taken), d.total)
    for b in r.batches:
        yield "batch", (f"{b.keyed_by} {b.status} control {b.control_count}/"
                        f"{_m(b.control_total)} deposit {b.deposit_number or '-'}", b.count,
                        b.total)
    for i in r.lockbox_imports:
        yield "lockbox import", (f"file {i.file_id} (deposited by the bank); suspense "
                                 f"{i.suspense_count}/{_m(i.suspense_total)}", i.posted_count,
                                 i.posted_total)
    for rt in r.returns:
        yield "return", (f"{rt.reason} {rt.reference}"
                         f"{'' if rt.in_ledger else ' (not in ledger yet)'}", 1, rt.amount)
    for dp in r.deposits:
        yield "deposit", (f"no. {dp.number} {dp.status} cash {_m(dp.cash_total)} checks "
                          f"{dp.checks_count}/{_m(dp.checks_total)} bank ref "
                          f"{dp.bank_reference or '-'}", dp.checks_count, dp.total)
    bd = r.bank_deposit
    yield "bank deposit", ("to deposit (counter and mail)", "", bd.to_deposit)
    yield "bank deposit", ("drawers over/short", "", bd.over_short)
    yield "bank deposit", ("deposited", "", bd.deposited)
    for name, tie in (("payments", r.tie_out.payments), ("returns", r.tie_out.returns)):
        yield f"tie-out {name}", ("taken by payments", tie.payments.count, tie.payments.total)
        yield f"tie-out {name}", ("received by the ledger", tie.ledger.count, tie.ledger.total)
        yield f"tie-out {name}", ("matched", tie.matched.count, tie.matched.total)
        yield f"tie-out {name}", ("missing in ledger", tie.missing.count, tie.missing.total)
        yield f"tie-out {name}", ("differences", tie.differences_count, "")
        for m in tie.missing_items:
            yield f"missing {name}", (f"{m.what} waiting {m.waiting_seconds}s", 1, m.amount)
        for diff in tie.differences:
            yield f"difference {name}", (f"{diff.kind} {diff.reference} ledger "
                                         f"{_m(diff.ledger_amount)} {diff.ledger_date}", 1,
                                         diff.payments_amount or "")
    yield "tie-out", ("balanced" if r.tie_out.balanced else "NOT balanced", "", "")


def csv_text(r: DayEndReport) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "line", "count", "total"])
    w.writerow(["report", f"end of day {r.date.isoformat()} ({r.timezone})", "", ""])
    for section, (line, count, total) in _rows(r):
        w.writerow([section, line, count, total])
    return out.getvalue()


def pdf(r: DayEndReport) -> bytes:
    doc = FPDF(format="letter", orientation="landscape")
    doc.set_margins(12, 12, 12)
    doc.set_auto_page_break(auto=True, margin=12)
    doc.add_page()
    doc.set_font("Helvetica", "B", 14)
    doc.cell(0, 8, latin1(r.utility), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "B", 12)
    doc.cell(0, 7, f"End-of-day report {r.date.isoformat()} ({r.timezone})",
             new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 8)
    doc.cell(0, 5, f"Generated {r.generated_at.isoformat(timespec='seconds')}",
             new_x="LMARGIN", new_y="NEXT")
    last = ""
    for section, (line, count, total) in _rows(r):
        if section != last:
            doc.ln(1)
            doc.set_font("Helvetica", "B", 9)
            doc.cell(0, 5, latin1(section.capitalize()), new_x="LMARGIN", new_y="NEXT")
            doc.set_font("Helvetica", "", 8)
            last = section
        doc.cell(200, 4.5, latin1(str(line))[:140])
        doc.cell(20, 4.5, str(count), align="R")
        doc.cell(0, 4.5, _m(total) if total != "" else "", align="R",
                 new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())
