"""Text for the PDF core fonts, which only carry Latin-1.

A character outside Latin-1 loses its accents rather than the whole letter (Nguyễn prints as
Nguyen, not Nguy?n); only what has no Latin base at all becomes "?".
"""

from __future__ import annotations

import unicodedata

# Letters with a stroke or ligatures, which have no decomposition to a Latin-1 base.
_PLAIN = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Œ": "OE", "œ": "oe", "ı": "i", "Ħ": "H",
          "ħ": "h", "Ŧ": "T", "ŧ": "t", "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-",
          "—": "-", "…": "..."}


def latin1(text: object) -> str:
    out = []
    for ch in str(text):
        if ord(ch) < 256:
            out.append(ch)
            continue
        if ch in _PLAIN:
            out.append(_PLAIN[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch)
                       if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)
