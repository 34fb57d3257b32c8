"""Collections' reports: the month's aging rolls forward to the cent (opening + charges -
credits = closing, the closing equal to the receivable as billing's ledger has it), each
bucket's roll into the next older; the year's disconnections for non-payment (SB 998)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import text

from tests.collections.arrange_helpers import bill, owing, pay


async def _roll(client, h, month):
    r = await client.get("/api/collections/reports/aging-roll", params={"month": month},
                         headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_months_aging_rolls_forward_and_ties_to_the_receivable(
        client, feed, csr, bound):
    late = await owing(feed, "120.00", "2026-01-10")
    await pay(feed, late, "70.00", "2026-02-05")
    fresh = await owing(feed, "60.00", "2026-02-20")
    await bill(feed, fresh, "15.25", "2026-03-20", bill_date="2026-02-27")
    report = await _roll(client, csr, "2026-02")
    assert (report["opening_as_of"], report["closing_as_of"]) == ("2026-01-31", "2026-02-28")
    buckets = {b["bucket"]: b for b in report["buckets"]}
    assert (buckets["days_1_30"]["opening"], buckets["days_31_60"]["closing"]) == (
        "120.00", "50.00")
    assert buckets["days_1_30"]["rolled_percent"] == "41.7"  # 50 of the 120 rolled on
    assert buckets["current"]["closing"] == "15.25"
    rf = report["roll_forward"]
    assert (rf["opening"], rf["charges"], rf["credits"], rf["closing"], rf["difference"]) == (
        "120.00", "75.25", "70.00", "125.25", "0.00")
    receivable = (await bound["collections"].execute(text(
        "SELECT sum(amount) FROM receivable WHERE posted_on <= '2026-02-28' "
        "AND account_id = ANY(CAST(:a AS uuid[]))"), {"a": [late.id, fresh.id]})).scalar()
    assert Decimal(rf["closing"]) == receivable
    assert sum(Decimal(b["closing"]) for b in report["buckets"]) - Decimal(
        report["unapplied_credit_closing"]) == receivable


async def _order(bound, kind, status, completed_on, *, low_income=False, reconnects=None,
                 premise_kind="single_family"):
    oid, premise = uuid.uuid4(), uuid.uuid4()
    await bound["collections"].execute(text(
        "INSERT INTO premises (id, kind) VALUES (:p, :k)"), {"p": premise, "k": premise_kind})
    await bound["collections"].execute(text(
        "INSERT INTO field_orders (id, account_id, premise_id, kind, status, scheduled_on, "
        "created_on, requested_by, completed_on, low_income, reconnects) VALUES (:i, :a, :p, "
        ":k, :s, :d, :d, 'test', :d, :li, :r)"),
        {"i": oid, "a": uuid.uuid4(), "p": premise, "k": kind, "s": status,
         "d": completed_on, "li": low_income, "r": reconnects})
    return oid


async def test_the_years_disconnections_for_non_payment_count_each_completed_one_by_month(
        client, csr, bound):
    jan = await _order(bound, "disconnect", "completed", date(2026, 1, 14), low_income=True)
    await _order(bound, "reconnect", "completed", date(2026, 1, 15), reconnects=jan)
    await _order(bound, "disconnect", "completed", date(2026, 1, 28),
                 premise_kind="commercial")
    await _order(bound, "disconnect", "completed", date(2026, 3, 3))
    await _order(bound, "disconnect", "cancelled", date(2026, 3, 4))
    await _order(bound, "disconnect", "completed", date(2025, 12, 30))
    r = await client.get("/api/collections/reports/disconnections", params={"year": "2026"},
                         headers=csr)
    assert r.status_code == 200, r.text
    months = {m["month"]: m for m in r.json()["months"]}
    assert len(months) == 12
    assert (months[1]["disconnections"], months[1]["low_income"], months[1]["residential"],
            months[1]["reconnected"], months[1]["reconnected_within_1_day"]) == (2, 1, 1, 1, 1)
    assert months[3]["disconnections"] == 1 and months[2]["disconnections"] == 0
    assert r.json()["total"]["disconnections"] == 3


async def test_the_catalogue_lists_both_reports_each_as_pdf_and_csv(client, feed, csr):
    late = await owing(feed, "120.00", "2026-01-10")
    await pay(feed, late, "70.00", "2026-02-05")
    cat = await client.get("/api/collections/reports", headers=csr)
    assert cat.status_code == 200, cat.text
    entries = {e["name"]: e for e in cat.json()["reports"]}
    assert set(entries) == {"aging-roll", "disconnections"}
    r = await client.get(entries["aging-roll"]["path"] + ".csv", params={"month": "2026-02"},
                         headers=csr)
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[-1][:3] == ["Balance", "120.00", "50.00"]
    pdf = await client.get(entries["aging-roll"]["path"] + ".pdf",
                           params={"month": "2026-02"}, headers=csr)
    assert pdf.content.startswith(b"%PDF")
    year = await client.get(entries["disconnections"]["path"] + ".csv",
                            params={"year": "2026"}, headers=csr)
    assert list(csv.reader(io.StringIO(year.text)))[-1][:2] == ["Year", "0"]
