"""Any list in the API as CSV, streamed from a server-side cursor: flat memory at any size.

A list route answers CSV when the client asks (`?format=csv`, or `Accept: text/csv` without a
`format`): its service returns an `Export` (the list's own statement with the page limit lifted:
`LIMIT NULL` is no limit to PostgreSQL) and the route returns `csv.respond(export)`. The columns
are the statement's, in its order, named as it names them. The response's body
is produced after the route returns, so it cannot use the request's session (closed by then):
it reads on a connection of its own in a read-only transaction (`Database.reading`), through a
server-side cursor fetched in batches, and writes each batch to the socket before fetching the
next. Memory stays at one batch whatever the size of the list.

Cells: numbers and dates as PostgreSQL prints them (a `Decimal` keeps its cents), arrays joined
with `;`, JSON as JSON, NULL as empty. A text cell that a spreadsheet would run as a formula
(`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'` (OWASP's CSV injection
advice); numbers are never touched, so a credit stays `-12.50`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.sql.elements import TextClause

from kernel.db import Database

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
#: Rows fetched from the cursor per round trip and written per chunk.
BATCH = 5_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    """A list to stream: its statement (no page limit), parameters and download name."""

    statement: TextClause
    params: Mapping[str, Any] = field(default_factory=dict)
    filename: str = "export.csv"


class CsvRequest:
    """Handed to a list route whose client asked for CSV: `respond` streams an export."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def respond(self, export: Export) -> StreamingResponse:
        return csv_response(self.db, export)


def csv_request(
    request: Request,
    format: Annotated[  # noqa: A002 - the query parameter's public name
        Literal["json", "csv"] | None,
        Query(description="`csv` streams the whole list as CSV (no page limit); "
                          "`Accept: text/csv` does the same"),
    ] = None,
) -> CsvRequest | None:
    wanted = format == "csv" if format is not None else any(
        part.split(";")[0].strip() == "text/csv"
        for part in request.headers.get("accept", "").split(","))
    return CsvRequest(request.app.state.db) if wanted else None


#: A list route's parameter: set when the client asked for CSV.
CsvExport = Annotated[CsvRequest | None, Depends(csv_request)]

#: What a list route that can answer CSV declares beside its JSON model.
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}


def cell(value: object) -> object:
    """One value as a CSV cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, bool | int | Decimal | float | UUID):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return cell(";".join("" if v is None else str(v) for v in value))
    if isinstance(value, dict):
        return cell(json.dumps(value, sort_keys=True, default=str))
    return cell(str(value))


async def csv_rows(db: Database, export: Export, batch: int = BATCH) -> AsyncIterator[bytes]:
    """The export's rows as CSV chunks, its column names first, one chunk per cursor batch."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    async with db.reading() as conn:
        result = await conn.stream(
            export.statement.execution_options(yield_per=batch), dict(export.params))
        try:
            out.writerow(list(result.keys()))
            yield buf.getvalue().encode()
            async for part in result.partitions(batch):
                buf.seek(0)
                buf.truncate()
                out.writerows([cell(v) for v in row] for row in part)
                yield buf.getvalue().encode()
        finally:
            await result.close()


def csv_response(db: Database, export: Export) -> StreamingResponse:
    """A streamed CSV download of the export's rows."""
    return StreamingResponse(
        csv_rows(db, export),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"',
                 "Cache-Control": "no-store"},
    )
