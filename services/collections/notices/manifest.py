"""The print vendor's manifest (CSV, pure): one row per notice in the order the print file
holds them, with where it goes, how (mailed or posted at the premise) and how many copies, so
the vendor can reconcile envelopes against the file and the district the file against it."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from services.collections.notices.letter import addressee_name
from services.collections.notices.repository import Notice

HEADER = ("sequence", "notice_id", "account_number", "kind", "addressee", "language", "name",
          "line1", "line2", "city", "state", "postal_code", "delivery", "copies", "amount",
          "action_on")
_CHUNK = 1000


#: With the print ZIP: which of its PDFs holds the notice, its first page there and its pages.
PLACEMENT = ("file", "first_page", "pages")


def rows(notices: Sequence[Notice],
         placed: Sequence[tuple[str, int, int]] | None = None) -> list[str]:
    """The CSV in chunks of 1,000 rows (a response streams them); with `placed` (one
    (file, first page, pages) per notice) it also says where each notice is in the print ZIP."""
    out: list[str] = []
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER + (PLACEMENT if placed is not None else ()))
    for i, n in enumerate(notices, start=1):
        a = n.address or {}
        name = addressee_name(n)
        w.writerow((i, n.id, n.account_number, n.kind, n.addressee, n.language, name,
                    a.get("line1", ""), a.get("line2", ""), a.get("city", ""),
                    a.get("state", ""), a.get("postal_code", ""), n.delivery, n.copies,
                    "" if n.amount is None else f"{n.amount:.2f}",
                    "" if n.action_on is None else n.action_on.isoformat(),
                    *(placed[i - 1] if placed is not None else ())))
        if i % _CHUNK == 0:
            out.append(buf.getvalue())
            buf.seek(0)
            buf.truncate()
    out.append(buf.getvalue())
    return out
