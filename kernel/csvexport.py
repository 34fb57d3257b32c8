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
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
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
    return _rule(type(value), value)(value)


def _none(_: object) -> str:
    return ""


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _as_is(value: object) -> object:
    return value


def _rule(kind: type, value: object) -> Callable[[Any], object]:
    """How a value of this type becomes a cell, found once per type (`value` is one of them):
    a million-row export converts six million values. By `isinstance`, since the driver's own
    UUID class is a `uuid.UUID` only as a subclass."""
    rule = _BY_TYPE.get(kind)
    if rule is not None:
        return rule
    if value is None:
        rule = _none
    elif isinstance(value, str):
        rule = _text
    elif isinstance(value, bool | int | Decimal | float | UUID):
        rule = _as_is
    elif isinstance(value, datetime | date):
        rule = _iso
    elif isinstance(value, list | tuple):
        rule = _joined
    elif isinstance(value, dict):
        rule = _json
    else:
        rule = _str
    _BY_TYPE[kind] = rule
    return rule


def _iso(value: date) -> str:
    return value.isoformat()


def _joined(value: Sequence[object]) -> str:
    return _text(";".join("" if v is None else str(v) for v in value))


def _json(value: object) -> str:
    return _text(json.dumps(value, sort_keys=True, default=str))


def _str(value: object) -> object:
    return cell(str(value))


_BY_TYPE: dict[type, Callable[[Any], object]] = {}


def cells(rows: Sequence[Sequence[object]]) -> Iterable[Sequence[object]]:
    """A batch of rows as cells, column by column, each as `cell` makes it: a column of
    numbers and ids (and NULLs: the writer prints None as nothing) passes untouched, a text
    column is checked in one comprehension, so most values cost no Python call of ours."""
    if not rows:
        return rows
    columns: list[Sequence[object]] = []
    for column in zip(*rows, strict=True):
        rules: set[Callable[[Any], object]] = set()
        for kind in set(map(type, column)):
            rules.add(_BY_TYPE.get(kind) or _rule(kind, next(
                v for v in column if type(v) is kind)))
        if rules <= {_as_is, _none}:
            columns.append(column)
        elif rules <= {_text, _none}:
            columns.append(["" if v is None else "'" + v if v.startswith(_FORMULA_START)
                            else v for v in column])
        else:
            columns.append(list(map(cell, column)))
    return zip(*columns, strict=True)


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
                out.writerows(cells(part))
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
