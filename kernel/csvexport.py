"""Any list in the API as CSV, streamed from a server-side cursor: flat memory at any size.

A list route answers CSV when the client asks (`?format=csv`, or `Accept: text/csv` without a
`format`): it hands its query, without the page limit, to `csv_response`. The response's body
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
from collections.abc import AsyncIterator, Mapping, Sequence
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


def csv_wanted(
    request: Request,
    format: Annotated[  # noqa: A002 - the query parameter's public name
        Literal["json", "csv"] | None,
        Query(description="`csv` streams the whole list as CSV (no page limit); "
                          "`Accept: text/csv` does the same"),
    ] = None,
) -> bool:
    if format is not None:
        return format == "csv"
    accept = request.headers.get("accept", "")
    return any(part.split(";")[0].strip() == "text/csv" for part in accept.split(","))


#: A list route's parameter: true when the client asked for CSV.
CsvWanted = Annotated[bool, Depends(csv_wanted)]

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


async def csv_rows(
    db: Database, statement: TextClause, params: Mapping[str, Any],
    header: Sequence[str], batch: int = BATCH,
) -> AsyncIterator[bytes]:
    """The statement's rows as CSV chunks, `header` first, one chunk per cursor batch."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(header)
    yield buf.getvalue().encode()
    async with db.reading() as conn:
        result = await conn.stream(
            statement.execution_options(yield_per=batch), dict(params))
        try:
            async for part in result.partitions(batch):
                buf.seek(0)
                buf.truncate()
                out.writerows([cell(v) for v in row] for row in part)
                yield buf.getvalue().encode()
        finally:
            await result.close()


def csv_response(
    db: Database, statement: TextClause, params: Mapping[str, Any],
    header: Sequence[str], filename: str,
) -> StreamingResponse:
    """A streamed CSV download of the statement's rows (its columns in `header`'s order)."""
    return StreamingResponse(
        csv_rows(db, statement, params, header),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "no-store"},
    )
