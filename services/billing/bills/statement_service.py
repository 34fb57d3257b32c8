"""Use cases of statements: one bill's PDF or HTML, a run's print batch, the district's
statement configuration."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import IO

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel import audit
from kernel.auth import Principal, ensure_own_account
from kernel.errors import NotFound
from services.billing.bills import statement_html, statement_pdf
from services.billing.bills import statement_repository as repo
from services.billing.bills.statement_compose import compose
from services.billing.bills.statement_model import Statement
from services.billing.config import statement as district_config

#: Statements per PDF of a print batch: a vendor's press takes files of a few thousand pages,
#: and a bounded file keeps the batch's memory bounded too.
PER_FILE = 2000
INDEX_COLUMNS = ("sequence", "file", "first_page", "pages", "postal_code", "account_number",
                 "name", "line1", "line2", "city", "state", "bill_id", "bill_date", "due_date",
                 "amount_due", "language", "scanline")


async def statement(s: AsyncSession, who: Principal, bill_id: uuid.UUID) -> Statement:
    data = (await repo.load(s, [bill_id])).get(bill_id)
    if data is None:
        raise NotFound("No such bill", field="bill_id")
    ensure_own_account(who, data.bill.account_id)
    if who.role == "customer" and data.bill.status != "final":
        raise NotFound("No such bill", field="bill_id")
    return compose(data, await district_config.effective(s))


async def pdf(s: AsyncSession, who: Principal, bill_id: uuid.UUID) -> bytes:
    st = await statement(s, who, bill_id)
    return await asyncio.to_thread(statement_pdf.render, st, _dated(st))


async def html(s: AsyncSession, who: Principal, bill_id: uuid.UUID) -> str:
    return statement_html.render(await statement(s, who, bill_id))



def _dated(st: Statement) -> date:
    """The PDF's creation date is the bill's, so the same bill renders to the same bytes."""
    return st.bill_date or date(2000, 1, 1)


def presort(statements: list[Statement]) -> list[Statement]:
    """Postal presort: by ZIP (5 digits, then +4), then account number."""
    return sorted(statements, key=lambda st: (st.postal_code or "99999", st.account_number))


def _render_file(args: tuple[list[Statement], date, str]) -> tuple[bytes, list[tuple[int, int]]]:
    """One PDF of the batch (in a worker process when there are several): its bytes and each
    statement's (first page, pages)."""
    statements, on, title = args
    buf = io.BytesIO()
    index = statement_pdf.render_batch(statements, on, buf, title)
    return buf.getvalue(), [(first, count) for _, first, count in index]


def _rendered(jobs: list[tuple[list[Statement], date, str]],
              workers: int) -> Iterator[tuple[bytes, list[tuple[int, int]]]]:
    """Each file of the batch in order, as it is drawn: the caller writes one away before the
    next is taken, so a 100,000-statement run never holds its PDFs in memory at once."""
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            yield from pool.map(_render_file, jobs)
    else:
        yield from map(_render_file, jobs)


def write_batch(statements: list[Statement], on: date, run_id: uuid.UUID, out: IO[bytes], *,
                per_file: int = PER_FILE, workers: int = 1) -> int:
    """The print vendor's batch, written to `out` (a file: the response streams it): finished
    PDFs (`per_file` statements each, drawn by up to `workers` processes at once) and
    `index.csv` naming, in presort order, each statement's file, first page and page count,
    plus a `manifest.json` of totals to reconcile against. Returns the statements written."""
    ordered = presort(statements)
    chunks = [ordered[i:i + per_file] for i in range(0, len(ordered), per_file)]
    jobs = [(c, on, f"Run {run_id} file {n}") for n, c in enumerate(chunks, 1)]
    index = io.StringIO()
    wr = csv.writer(index, lineterminator="\n")
    wr.writerow(INDEX_COLUMNS)
    files, pages, seq = [], 0, 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, (chunk, (pdf, placed)) in enumerate(
                zip(chunks, _rendered(jobs, workers), strict=True), 1):
            name = f"statements-{n:03d}.pdf"
            for st, (first, count) in zip(chunk, placed, strict=True):
                seq += 1
                pages += count
                p = st.mailing_parts
                wr.writerow([seq, name, first, count, st.postal_code, st.account_number,
                             st.mailing[0], p[0], p[1], p[2], p[3], st.bill_id, st.bill_date,
                             st.due_date, st.amount_due, st.lang,
                             st.stub.scanline if st.stub else ""])
            # A PDF's streams are compressed already: stored, not deflated again.
            z.writestr(name, pdf, compress_type=zipfile.ZIP_STORED)
            files.append(name)
        z.writestr("index.csv", index.getvalue())
        z.writestr("manifest.json", json.dumps({
            "run_id": str(run_id), "printed_on": on.isoformat(), "statements": seq,
            "pages": pages, "files": files, "sort": "postal_code, account_number",
            "index": "index.csv"}, indent=2))
    return seq


async def print_batch(s: AsyncSession, run_id: uuid.UUID, on: date) -> IO[bytes]:
    """The run's print batch in a spooled temporary file (on disk past 32 MB), rewound for the
    response to stream."""
    ids = await repo.run_bill_ids(s, run_id)
    if ids is None:
        raise NotFound("No such bill run", field="run_id")
    dist = await district_config.effective(s)
    data = await repo.load(s, ids)
    statements = [compose(d, dist) for d in data.values()]
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    await asyncio.to_thread(write_batch, statements, on, run_id, out,
                            workers=os.cpu_count() or 1)
    out.seek(0)
    return out


async def get_config(s: AsyncSession) -> district_config.District:
    return await district_config.load(s)


async def put_config(s: AsyncSession, who: Principal,
                     body: district_config.District) -> district_config.District:
    before = await district_config.load(s)
    await district_config.save(s, body)
    await audit.record(s, who, "statement-config", "config", district_config.KEY,
                       before={"messages": len(before.messages), "name": before.name},
                       after={"messages": len(body.messages), "name": body.name})
    return body
