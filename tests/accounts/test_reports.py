"""Accounts' yearly deposits report: each deposit required, refunded and credited in its month;
the held amount rolls from the year's opening to its closing, to the cent, and equals what the
accounts hold."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from tests.accounts.factories import metered_premise, start_service


async def _account(client, auth, start):
    premise, _ = await metered_premise(client, auth)
    return (await start_service(client, auth("csr1"), premise["id"], start))["account"]["id"]


async def _release(client, auth, account_id, method, on):
    r = await client.post(f"/api/accounts/deposits/{account_id}/release",
                          headers=auth("supervisor"),
                          json={"method": method, "on_date": on, "reason": "report test"})
    assert r.status_code == 200, r.text


async def test_deposits_by_month_roll_from_opening_to_closing_and_equal_what_accounts_hold(
        client, auth):
    last_year = await _account(client, auth, "2025-06-03")
    refunded = await _account(client, auth, "2026-02-01")
    credited = await _account(client, auth, "2026-02-10")
    await _account(client, auth, "2026-03-05")
    await _release(client, auth, refunded, "refund", "2026-04-01")
    await _release(client, auth, credited, "credit", "2026-05-15")
    r = await client.get("/api/accounts/reports/deposits", params={"year": "2026"},
                         headers=auth("billing_tech"))
    assert r.status_code == 200, r.text
    report = r.json()
    months = {m["month"]: m for m in report["months"]}
    assert (months[2]["required"], months[3]["required"]) == (2, 1)
    assert (months[4]["refunded"], months[5]["credited"]) == (1, 1)
    t = report["total"]
    assert t["required"] == 3 and t["refunded"] == 1 and t["credited"] == 1
    opening, closing = Decimal(report["held_opening"]), Decimal(report["held_closing"])
    assert opening == Decimal(
        (await client.get(f"/api/accounts/deposits/{last_year}",
                          headers=auth("csr1"))).json()["held"])
    assert opening + Decimal(t["required_amount"]) - Decimal(t["refunded_amount"]) - Decimal(
        t["credited_amount"]) == closing
    assert closing == Decimal(report["held_now"])
    assert opening > 0 and report["accounts_holding_now"] == 2  # last year's and March's


async def test_the_catalogue_lists_deposits_and_its_csv_and_pdf_carry_the_year(client, auth):
    await _account(client, auth, "2026-02-01")
    h = auth("supervisor")
    [entry] = (await client.get("/api/accounts/reports", headers=h)).json()["reports"]
    assert (entry["name"], entry["period"]) == ("deposits", "year")
    r = await client.get(entry["path"] + ".csv", params={"year": "2026"}, headers=h)
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[2][:2] == ["February", "1"] and rows[-1][:2] == ["Year", "1"]
    pdf = await client.get(entry["path"] + ".pdf", params={"year": "2026"}, headers=h)
    assert pdf.content.startswith(b"%PDF")
