"""Every list in the API exports as CSV, streamed from a server-side cursor, whole.

The kernel's part: rows arrive in cursor batches (one chunk each, so memory holds one batch),
cents and dates as PostgreSQL prints them, a spreadsheet formula defused. The routes' part: a
list that shows a page as JSON gives every row as CSV, `?format=csv` or `Accept: text/csv`.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import text

from kernel.csvexport import Export, cell, cells, csv_rows
from tests.accounts.factories import customer_body, metered_premise, start_service


def _parse(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


async def test_twelve_thousand_rows_stream_in_cursor_batches_each_with_its_cents(
        bound, service_apps):
    db = service_apps["billing"].state.db
    export = Export(text(
        "SELECT g AS n, ((g - 6000) / 100.0)::numeric(14,2) AS amount, "
        "date '2026-01-01' + g AS day, NULL::text AS note "
        "FROM generate_series(1, 12001) g ORDER BY g"))
    chunks = [c async for c in csv_rows(db, export, batch=1000)]
    assert len(chunks) == 1 + 13  # the header, then one chunk per batch of the cursor
    rows = _parse(b"".join(chunks).decode())
    assert rows[0] == ["n", "amount", "day", "note"]
    assert len(rows) == 12002
    assert rows[1] == ["1", "-59.99", "2026-01-02", ""]
    assert rows[6000] == ["6000", "0.00", (date(2026, 1, 1) + timedelta(6000)).isoformat(), ""]
    assert sum(Decimal(r[1]) for r in rows[1:]) == sum(
        (Decimal(g - 6000) / 100 for g in range(1, 12002)), Decimal(0))


def test_a_formula_in_a_text_cell_is_defused_and_a_negative_amount_is_not():
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("-2+3") == "'-2+3"
    assert cell(Decimal("-12.50")) == Decimal("-12.50")
    assert cell(["high_usage", "estimated"]) == "high_usage;estimated"
    assert cell({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'
    assert cell(None) == "" and cell("Ann O'Neil") == "Ann O'Neil"


def test_a_batch_converted_column_by_column_writes_what_each_cell_would():
    rows = [
        (1, Decimal("-1.50"), "=cmd", None, ["a", None], {"b": 1}, date(2026, 1, 1), True,
         UUID(int=5), "plain", datetime(2026, 1, 1, tzinfo=UTC), "-3"),
        (None, None, None, None, None, None, None, None, None, "+1", None, "ok"),
    ]

    def written(batch):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(batch)
        return buf.getvalue()

    assert written(cells(rows)) == written([[cell(v) for v in row] for row in rows])
    assert _parse(written(cells(rows)))[1] == ["", "", "", "", "", "", "", "", "", "'+1", "",
                                               "ok"]
    assert _parse(written(cells(rows)))[0][2] == "'=cmd"


async def _customers(client, auth, names):
    ids = []
    for i, name in enumerate(names):
        premise, _ = await metered_premise(client, auth, address={
            "line1": f"{700 + i} Quillfeather Row", "city": "Clovis", "state": "CA",
            "postal_code": "93611"})
        out = await start_service(client, auth("csr1"), premise["id"],
                                  customer=customer_body(name=name))
        ids.append(out["account"]["id"])
    return ids


async def test_search_results_export_every_match_not_one_page(client, auth):
    ids = await _customers(client, auth, ["Ottoline Quillfeather", "Ambrose Quillfeather",
                                          "=cmd Quillfeather"])
    page = await client.get("/api/accounts/search", headers=auth("csr1"),
                            params={"q": "quillfeather", "entity": "account", "limit": 1})
    assert page.status_code == 200 and len(page.json()) == 1
    r = await client.get("/api/accounts/search", headers=auth("csr1"),
                         params={"q": "quillfeather", "entity": "account", "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = _parse(r.text)
    assert rows[0][:3] == ["entity", "entity_id", "account_number"]
    assert {row[1] for row in rows[1:]} == set(ids)
    assert "'=cmd Quillfeather" in {row[3] for row in rows[1:]}
    by_accept = await client.get("/api/accounts/search", params={"q": "quillfeather"},
                                 headers={**auth("csr1"), "Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv")
    as_json = await client.get("/api/accounts/search", params={"q": "quillfeather",
                                                              "format": "json"},
                               headers={**auth("csr1"), "Accept": "text/csv"})
    assert isinstance(as_json.json(), list)
