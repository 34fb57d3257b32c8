"""Payments' monthly report: receipts by tender tie to the payments taken and to billing's
ledger for the month, to the cent; the payments received list exports whole as CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from kernel.clock import utility_today
from tests.payments.helpers import pdf_text
from tests.payments.test_dayend import a_day, ledger_total


@pytest.fixture
def tech(auth):
    return auth("billing_tech", "tina")


async def test_receipts_by_tender_tie_to_the_payments_and_to_billings_ledger(
        client, feed, cashier, tech, pump):
    a, b, _, _ = await a_day(client, feed, cashier, tech)
    await pump("payments", "billing")
    await pump("billing", "payments")
    day = utility_today()
    r = await client.get("/api/payments/reports/receipts-by-tender",
                         params={"month": f"{day:%Y-%m}"}, headers=tech)
    assert r.status_code == 200, r.text
    report = r.json()
    lines = {x["tender"]: (x["receipts"], x["amount"]) for x in report["lines"]}
    assert lines == {"cash": (2, "38.00"), "check": (3, "120.10"),
                     "money_order": (0, "0.00"), "card": (1, "12.34"), "bank": (0, "0.00")}
    assert (report["total"]["receipts"], report["total"]["amount"]) == (6, "170.44")
    assert Decimal(report["ledger"]["payments"]) == await ledger_total(
        client, tech, [a, b], day) == Decimal("170.44")
    assert report["ledger"]["receipts_less_ledger"] == "0.00"
    other = await client.get("/api/payments/reports/receipts-by-tender",
                             params={"month": "2019-02"}, headers=tech)
    assert other.json()["total"]["amount"] == "0.00"


async def test_the_payments_received_list_exports_every_payment_as_csv(
        client, feed, cashier, tech):
    await a_day(client, feed, cashier, tech)
    day = utility_today().isoformat()
    page = await client.get("/api/payments/reports/payments", headers=tech,
                            params={"from": day, "to": day, "limit": 2})
    assert page.status_code == 200, page.text
    assert len(page.json()) == 2
    r = await client.get("/api/payments/reports/payments", headers=tech,
                         params={"from": day, "to": day, "limit": 2, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 6
    assert sum(Decimal(x["amount"]) for x in rows) == Decimal("170.44")
    assert "check_number" not in rows[0] and "processor_token" not in rows[0]


async def test_a_month_that_is_not_a_month_is_refused(client, tech):
    r = await client.get("/api/payments/reports/receipts-by-tender",
                         params={"month": "2026-13"}, headers=tech)
    assert r.status_code == 422


async def test_the_catalogue_lists_receipts_by_tender_and_its_pdf_and_csv_carry_the_total(
        client, feed, cashier, tech):
    await a_day(client, feed, cashier, tech)
    cat = await client.get("/api/payments/reports", headers=tech)
    assert cat.status_code == 200, cat.text
    [entry] = cat.json()["reports"]
    assert (entry["name"], entry["period"], entry["formats"]) == (
        "receipts-by-tender", "month", ["pdf", "csv"])
    month = f"{utility_today():%Y-%m}"
    r = await client.get(entry["path"] + ".csv", params={"month": month}, headers=tech)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["Tender", "Receipts", "Amount"]
    assert rows[-1][:3] == ["Total", "6", "170.44"]
    pdf = await client.get(entry["path"] + ".pdf", params={"month": month}, headers=tech)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "170.44" in pdf_text(pdf.content)
    assert (await client.get(entry["path"] + ".xls", headers=tech)).status_code == 422
