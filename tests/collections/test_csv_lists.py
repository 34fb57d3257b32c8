"""Collections' lists export whole as CSV: the call list and an account's notices."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from tests.collections.arrange_helpers import owing


def _rows(r) -> list[dict[str, str]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.text)))


async def test_the_call_list_exports_every_past_due_account_not_one_page(client, feed, csr):
    late = [await owing(feed, amount, "2026-01-10") for amount in ("120.00", "80.50", "9.99")]
    page = await client.get("/api/collections/worklists/calls", headers=csr,
                            params={"today": "2026-02-03", "limit": 1})
    assert len(page.json()["items"]) == 1
    rows = _rows(await client.get("/api/collections/worklists/calls", headers=csr,
                                  params={"today": "2026-02-03", "limit": 1,
                                          "format": "csv"}))
    mine = {r["account_id"]: r for r in rows if r["account_id"] in {a.id for a in late}}
    assert {a.id: Decimal(mine[a.id]["past_due"]) for a in late} == {
        late[0].id: Decimal("120.00"), late[1].id: Decimal("80.50"),
        late[2].id: Decimal("9.99")}
    assert {r["days_past_due"] for r in mine.values()} == {"24"}


async def test_an_accounts_notices_export_as_csv(client, feed, csr):
    a = await owing(feed, "50.00", "2026-01-10")
    r = await client.get(f"/api/collections/accounts/{a.id}/notices", headers=csr,
                         params={"format": "csv"})
    rows = _rows(r)
    assert r.text.startswith("id,account_number,kind,addressee")
    assert rows == []
