"""A notice as a PDF (fpdf2), laid out for a #10 double-window envelope.

Letter paper folded in three: the top third shows through the envelope's two windows, the
district's return address in the upper one (7/8" from the left, 5/8" from the top) and the
addressee's mailing block in the lower one (7/8" from the left, 2" from the top); fold marks at
a third and two thirds. Drawn in the PDF core fonts, whose Latin-1 carries every Spanish letter
(á é í ó ú ü ñ ¿ ¡); other names lose their accents (`kernel.pdftext.latin1`).

Everything printed comes from the stored notice and the district's letterhead, and the PDF's
dates are the notice's own, so the same notice renders to the same bytes whenever it is asked
for: the PDF is "kept on the account" without storing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import IO

from fpdf import FPDF

from kernel.pdftext import latin1
from services.collections.notices.repository import Notice
from services.collections.notices.wording import District, Facts, Letter, day, letter

INCH = 25.4
RETURN_WINDOW = (7 / 8 * INCH, 5 / 8 * INCH, 3.25 * INCH, 7 / 8 * INCH)  # x, y, w, h
MAILING_WINDOW = (7 / 8 * INCH, 2 * INCH, 3.75 * INCH, 1.0 * INCH)
FOLDS = (279.4 / 3, 279.4 * 2 / 3)
_ADDRESSEE = {"occupant": ("OCCUPANT", "OCUPANTE"), "tenant": ("RESIDENTS", "RESIDENTES")}


def address_lines(a: dict[str, str] | None) -> list[str]:
    if not a:
        return []
    city, state, postal = (str(a.get(k) or "") for k in ("city", "state", "postal_code"))
    last = ", ".join(x for x in (city, " ".join(x for x in (state, postal) if x)) if x)
    return [x for x in (a.get("line1"), a.get("line2"), last) if x]


def addressee_name(n: Notice, lang: str | None = None) -> str:
    """The envelope's first line: the customer's name, else "Occupant" / "Residents" in the
    letter's language."""
    who = _ADDRESSEE.get(n.addressee)
    return n.name if who is None else who[1 if (lang or n.language) == "es" else 0]


def facts(n: Notice) -> Facts:
    return Facts(kind=n.kind, addressee=n.addressee, account_number=n.account_number,
                 name=n.name, service_address=", ".join(address_lines(n.service_address)),
                 amount=n.amount, action_on=n.action_on, deliver_by=n.deliver_by,
                 created_on=n.created_on,
                 details=tuple((str(x[0]), str(x[1])) for x in n.details))


def languages(n: Notice) -> tuple[str, ...]:
    """The customer's letter is in their language; an Occupant's or tenants' copy goes to
    people whose language the district does not know: theirs first, then the other."""
    if n.addressee == "customer":
        return (n.language,)
    return (n.language, "es" if n.language == "en" else "en")


def new_document(on: date) -> FPDF:
    pdf = FPDF(format="letter", unit="mm")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(22, 15, 20)
    pdf.set_creation_date(datetime.combine(on, time(), UTC))
    pdf.set_producer("Tapline")
    return pdf


def _window_blocks(pdf: FPDF, n: Notice, d: District, lang: str) -> None:
    x, y, w, _ = RETURN_WINDOW
    pdf.set_xy(x, y)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(w, 4.5, latin1(d.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in (*d.address, d.phone):
        pdf.set_x(x)
        pdf.cell(w, 4, latin1(line), new_x="LMARGIN", new_y="NEXT")
    # right of the return window: what the letter is, its date and the account
    pdf.set_xy(130, y)
    pdf.set_font("Helvetica", "", 9)
    for line in (day(n.created_on, lang),
                 f"{'Cuenta' if lang == 'es' else 'Account'} {n.account_number}"):
        pdf.set_x(130)
        pdf.cell(65, 4.5, latin1(line), align="R", new_x="LMARGIN", new_y="NEXT")
    x, y, w, _ = MAILING_WINDOW
    pdf.set_xy(x, y + 2)
    pdf.set_font("Helvetica", "", 10)
    for line in (addressee_name(n, lang), *address_lines(n.address)):
        pdf.set_x(x)
        pdf.cell(w, 4.8, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(150)
    for fold in FOLDS:
        pdf.line(3, fold, 8, fold)
    pdf.set_draw_color(0)


class _Writer:
    """Wrapped text drawn line by line with `FPDF.text`: fpdf2's multi_cell measures a line
    again for every character added to it (22 ms a page); words measured once and cached make
    a page about ten times cheaper, which a 20,000-notice print file needs."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, str], float] = {}

    def font(self, style: str, size: float) -> None:
        self.pdf.set_font("Helvetica", style, size)

    def width(self, word: str) -> float:
        key = (f"{self.pdf.font_style}{self.pdf.font_size_pt}", word)
        w = self.widths.get(key)
        if w is None:
            w = self.widths[key] = self.pdf.get_string_width(word)
        return w

    def wrap(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        cur: list[str] = []
        used = 0.0
        space = self.width(" ")
        for word in latin1(text).split():
            w = self.width(word)
            if cur and used + space + w > width:
                lines.append(" ".join(cur))
                cur, used = [word], w
            else:
                used = w if not cur else used + space + w
                cur.append(word)
        if cur:
            lines.append(" ".join(cur))
        return lines

    def para(self, text: str, x: float, width: float, leading: float) -> None:
        for line in self.wrap(text, width):
            if self.pdf.y + leading > self.pdf.h - 18:
                self.pdf.add_page()
                self.pdf.set_y(18)
            self.pdf.text(x, self.pdf.y + leading * 0.75, line)
            self.pdf.set_y(self.pdf.y + leading)


def _body(pdf: FPDF, lt: Letter, w: _Writer) -> None:
    left, width = 22.0, pdf.w - 22 - 20
    w.font("B", 12)
    w.para(lt.title, left, width, 6)
    pdf.set_y(pdf.y + 2)
    w.font("", 10)
    w.para(lt.greeting, left, width, 5)
    pdf.set_y(pdf.y + 1)
    first, *rest = lt.paragraphs
    w.para(first, left, width, 5)
    pdf.set_y(pdf.y + 2)
    top = pdf.y
    for label, value in lt.facts:
        row = pdf.y
        w.font("B", 10)
        pdf.text(left + 1.5, row + 4, latin1(label))
        w.font("", 10)
        w.para(value, left + 62, width - 63.5, 5.5)
        pdf.line(left, pdf.y, left + width, pdf.y)
    pdf.rect(left, top, width, pdf.y - top)
    pdf.line(left + 60, top, left + 60, pdf.y)
    pdf.set_y(pdf.y + 3)
    for p in rest:
        w.para(p, left, width, 5)
        pdf.set_y(pdf.y + 1.5)
    pdf.set_y(pdf.y + 1)
    w.font("I", 9)
    w.para(lt.tagline, left, width, 4.5)


def _footer(pdf: FPDF, n: Notice) -> None:
    pdf.set_auto_page_break(auto=False)
    pdf.set_xy(22, 270)
    pdf.set_font("Helvetica", "", 7)
    pdf.cell(0, 3, latin1(f"Notice {n.id} - {n.kind} - {n.addressee}"))
    pdf.set_auto_page_break(auto=True, margin=18)


def add_notice(pdf: FPDF, n: Notice, d: District, w: _Writer | None = None) -> None:
    """The notice's pages: the window page in its first language, a page per other one."""
    w = w or _Writer(pdf)
    f = facts(n)
    for i, lang in enumerate(languages(n)):
        pdf.add_page()
        if i == 0:
            _window_blocks(pdf, n, d, lang)
            pdf.set_xy(22, FOLDS[0] + 4)
        else:
            pdf.set_xy(22, 18)
        _body(pdf, letter(f, d, lang), w)
        _footer(pdf, n)


def render(n: Notice, d: District) -> bytes:
    """One notice's PDF."""
    pdf = new_document(n.created_on)
    pdf.set_title(latin1(f"{n.kind} {n.account_number}"))
    add_notice(pdf, n, d)
    return bytes(pdf.output())


def render_batch(notices: Iterable[Notice], d: District, on: date, out: IO[bytes],
                 title: str | None = None,
                 placed: list[tuple[int, int]] | None = None) -> int:
    """The print file: every notice of a batch, each as many times as it has copies (a
    tenants' notice, one per dwelling unit), in one PDF written to `out`. Returns pages; each
    notice's (first page, pages) is appended to `placed` when given."""
    pdf = new_document(on)
    pdf.set_title(title or f"Notices {on}")
    w = _Writer(pdf)
    for n in notices:
        first = pdf.page_no() + 1
        for _ in range(max(n.copies, 1)):
            add_notice(pdf, n, d, w)
        if placed is not None:
            placed.append((first, pdf.page_no() - first + 1))
    out.write(pdf.output())
    return int(pdf.page_no())
