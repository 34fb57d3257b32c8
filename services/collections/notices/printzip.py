"""The print vendor's ZIP for a large batch: the notices in PDFs of `PER_FILE` notices each
(a file of 1,000 notices is about 2,000 pages, what a press takes at once), and `manifest.csv`
saying which file holds each notice, from which page and for how many. Only one file's pages
are in memory at a time, so a 20,000-notice day prints in the memory of 1,000 (the single
`print.pdf` holds the whole batch while it is drawn)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from typing import IO

from services.collections.notices import letter, manifest
from services.collections.notices.repository import Notice
from services.collections.notices.wording import District

PER_FILE = 1000


def write(notices: Sequence[Notice], d: District, on: date, out: IO[bytes], *,
          per_file: int | None = None) -> int:
    """The ZIP written to `out`, notices in the batch's print order. Returns pages."""
    per_file = per_file or PER_FILE
    placed: list[tuple[str, int, int]] = []
    pages = 0
    with zipfile.ZipFile(out, "w") as z:
        for n, start in enumerate(range(0, len(notices), per_file), start=1):
            name = f"notices-{n:03d}.pdf"
            where: list[tuple[int, int]] = []
            buf = io.BytesIO()
            pages += letter.render_batch(notices[start:start + per_file], d, on, buf,
                                         title=f"Notices {on} file {n}", placed=where)
            # A PDF's streams are compressed already: stored, not deflated again.
            z.writestr(name, buf.getvalue(), compress_type=zipfile.ZIP_STORED)
            placed += [(name, first, count) for first, count in where]
        z.writestr("manifest.csv", "".join(manifest.rows(notices, placed)),
                   compress_type=zipfile.ZIP_DEFLATED)
    return pages
