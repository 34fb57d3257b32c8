"""The receipt a customer takes home, as a PDF (fpdf2; core fonts, so text goes through
`kernel.pdftext.latin1`)."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from kernel.checkdigit import printed
from kernel.pdftext import latin1
from services.payments.posting.domain import Payment

TENDER_NAMES = {"cash": "Cash", "check": "Check", "money_order": "Money order",
                "card": "Card", "bank": "Bank account"}


def tender_line(p: Payment) -> str:
    name = TENDER_NAMES.get(p.tender, p.tender)
    if p.tender == "check":
        return f"{name} no. {p.check_number}, {p.bank}"
    if p.tender == "money_order":
        return f"{name} no. {p.money_order_number}"
    if p.tender in ("card", "bank"):
        return f"{name} (through the payment processor)"
    return name


def returned_line(returned_on: date, return_code: str) -> str:
    return f"RETURNED by the bank on {returned_on.isoformat()} ({return_code})"


def render(utility: str, p: Payment, name: str, returned: str | None = None,
           transfers: list[str] | None = None) -> bytes:
    """`transfers`: one line per applied transfer of this payment to another account."""
    pdf = FPDF(format=(90, 140))
    pdf.set_margins(6, 6, 6)
    pdf.set_auto_page_break(auto=True, margin=6)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 5, latin1(utility), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 5, f"Receipt {p.receipt_number}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in (("Account", printed(p.account_number)), ("Name", name),
                         ("Received", p.received_on.isoformat()),
                         ("Tender", tender_line(p)),
                         ("Taken by", p.taken_by),
                         ("Where", "Counter" if p.channel == "counter" else "Mail")):
        pdf.cell(22, 5, label)
        pdf.multi_cell(0, 5, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(22, 7, "Amount")
    pdf.cell(0, 7, f"${p.amount:,.2f}", align="R", new_x="LMARGIN", new_y="NEXT")
    if returned is not None:
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 5, latin1(returned), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    for line in transfers or []:
        pdf.multi_cell(0, 4, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 4, "Thank you. Keep this receipt; quote its number with any question.",
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
