"""The deposit slip that goes in the bag (fpdf2 and core fonts, as the receipts: text goes
through `kernel.pdftext.latin1`). Pure: it draws what it is given."""

from __future__ import annotations

from fpdf import FPDF

from kernel.pdftext import latin1
from services.payments.bankdeposits.schemas import DepositOut

TENDER_NAMES = {"check": "Check", "money_order": "Money order"}


def _money(amount: object) -> str:
    return f"${amount:,.2f}"


def _denomination(d: str) -> str:
    return f"${d}" if "." not in d else f"{int(round(float(d) * 100))}c"


def render(utility: str, bank: str, account_masked: str, d: DepositOut) -> bytes:
    pdf = FPDF(format="letter")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1(utility), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, f"Deposit slip no. {d.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for label, value in (("Bank", bank), ("Account", account_masked),
                         ("Date", d.prepared_on.isoformat()),
                         ("Prepared by", d.prepared_by),
                         ("Signed off by", d.signed_off_by or "(not yet signed off)")):
        pdf.cell(35, 6, label)
        pdf.cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Cash", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for line in d.cash:
        pdf.cell(35, 6, _denomination(line.denomination))
        pdf.cell(30, 6, f"x {line.pieces}", align="R")
        pdf.cell(40, 6, _money(line.amount), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(65, 6, "Total cash")
    pdf.cell(40, 6, _money(d.cash_total), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Checks and money orders", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 9)
    for w, h in ((10, "#"), (28, "Kind"), (28, "Number"), (55, "Bank"), (30, "Account")):
        pdf.cell(w, 5, h)
    pdf.cell(0, 5, "Amount", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for i in d.checks:
        pdf.cell(10, 5, str(i.line))
        pdf.cell(28, 5, TENDER_NAMES.get(i.tender, i.tender))
        pdf.cell(28, 5, latin1(i.number))
        pdf.cell(55, 5, latin1((i.bank or "")[:32]))
        pdf.cell(30, 5, i.account_number)
        pdf.cell(0, 5, _money(i.amount), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(65, 6, f"Total checks ({d.checks_count})")
    pdf.cell(40, 6, _money(d.checks_total), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(65, 8, "Deposit total")
    pdf.cell(40, 8, _money(d.total), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
