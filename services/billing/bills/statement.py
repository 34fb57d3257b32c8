"""The bill statement as a PDF (fpdf2): address, lines, usage history, messages, remittance
stub with the account number and its check digit."""

from __future__ import annotations

from decimal import Decimal

from fpdf import FPDF

from kernel.pdftext import latin1
from services.billing.bills.domain import stub_number
from services.billing.bills.repository import Bill, Line, Usage


def _price(d: Decimal) -> str:
    """A unit price with at least cents and no trailing zeros beyond: 3.00, 4.125."""
    n = d.normalize()
    return f"{n.quantize(Decimal('0.01')) if n.as_tuple().exponent > -2 else n:f}"  # type: ignore[operator]


def render(utility: str, bill: Bill, lines: list[Line], history: list[Usage], balance: Decimal,
           messages: list[str]) -> bytes:
    pdf = FPDF(format="letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1(utility), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    addr = bill.mailing or {}
    for row in (bill.name, addr.get("line1"), addr.get("line2"),
                " ".join(str(x) for x in (addr.get("city"), addr.get("state"),
                                          addr.get("postal_code")) if x)):
        if row:
            pdf.cell(0, 5, latin1(row), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.cell(0, 5, latin1(f"Account {stub_number(bill.account_number or '')}   "
                      f"Bill date {bill.bill_date}   Due {bill.due_date}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, latin1(f"Service period {bill.period_start} to {bill.period_end}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(100, 6, "Charges")
    pdf.cell(25, 6, "Quantity", align="R")
    pdf.cell(25, 6, "Rate", align="R")
    pdf.cell(0, 6, "Amount", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for ln in lines:
        pdf.cell(100, 5, latin1(ln.description[:60]))
        pdf.cell(25, 5, f"{ln.quantity.normalize():f}", align="R")
        pdf.cell(25, 5, _price(ln.unit_price), align="R")
        pdf.cell(0, 5, f"{ln.amount:.2f}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(150, 6, "Total this bill")
    pdf.cell(0, 6, f"{bill.total:.2f}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(150, 6, "Account balance")
    pdf.cell(0, 6, f"{balance:.2f}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "Water use history", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for h in history:
        pdf.cell(40, 5, str(h.period_end))
        pdf.cell(30, 5, f"{h.qty.normalize():f}", align="R")
        pdf.cell(0, 5, "#" * min(60, int(h.qty)), new_x="LMARGIN", new_y="NEXT")
    if messages:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, "Messages", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
        for m in messages:
            pdf.multi_cell(0, 5, latin1(m), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.dashed_line(10, pdf.get_y(), 200, pdf.get_y())
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "Return this stub with your payment", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "", 11)
    pdf.cell(0, 6, latin1(f"ACCOUNT {stub_number(bill.account_number or '')}   AMOUNT DUE "
                      f"{max(balance, Decimal(0)):.2f}   DUE {bill.due_date}"),
             new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
