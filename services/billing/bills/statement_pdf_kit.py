"""Drawing helpers shared by the statement's front and back: text at positions with cached
widths, wrapping, right alignment, section bands."""

from __future__ import annotations

from fpdf import FPDF

from kernel.pdftext import latin1

LEFT, RIGHT = 12.0, 203.9
GREY, LIGHT, ACCENT = (110, 110, 110), (232, 238, 244), (31, 78, 121)


class Kit:
    """Text at positions with cached widths, wrapping, right alignment and page breaks."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, float, str], float] = {}
        self.style = ""
        self.size = 9.0

    def font(self, style: str = "", size: float = 9.0) -> None:
        if (style, size) != (self.style, self.size) or self.pdf.font_family != "helvetica":
            self.pdf.set_font("Helvetica", style, size)
            self.style, self.size = style, size

    def width(self, s: str) -> float:
        key = (self.style, self.size, s)
        got = self.widths.get(key)
        if got is None:
            got = self.widths[key] = self.pdf.get_string_width(s)
        return got

    def text(self, x: float, y: float, s: str, align: str = "L") -> None:
        """`y` is the top of the line; `align` R puts the text's end at `x`."""
        s = s if s.isascii() else latin1(s)
        if align == "R":
            x -= self.width(s)
        elif align == "C":
            x -= self.width(s) / 2
        self.pdf.text(x, y + self.size * 0.3528 * 0.8, s)

    def wrap(self, s: str, width: float) -> list[str]:
        lines: list[str] = []
        cur: list[str] = []
        used, space = 0.0, self.width(" ")
        for word in latin1(s).split():
            ww = self.width(word)
            if cur and used + space + ww > width:
                lines.append(" ".join(cur))
                cur, used = [word], ww
            else:
                used = ww if not cur else used + space + ww
                cur.append(word)
        if cur:
            lines.append(" ".join(cur))
        return lines

    def para(self, s: str, x: float, y: float, width: float, leading: float) -> float:
        """Wrapped text from `y`; returns the y below it."""
        for line in self.wrap(s, width):
            self.pdf.text(x, y + leading * 0.75, line)
            y += leading
        return y


def band(k: Kit, x: float, y: float, w: float, title: str) -> float:
    k.pdf.set_fill_color(*ACCENT)
    k.pdf.rect(x, y, w, 5.5, style="F")
    k.pdf.set_text_color(255)
    k.font("B", 9.5)
    k.text(x + 2, y + 1.1, title)
    k.pdf.set_text_color(0)
    return y + 7.5
