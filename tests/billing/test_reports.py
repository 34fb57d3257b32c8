"""Billing's reports: each states what the month's (or year's) bills, ledger, reads and copy
of accounts' data say, and every money report equals the ledger's entries for the same days."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from kernel.clock import utility_today
from kernel.settings import get_settings
from tests.billing.helpers import RATES, bill_id_of, billed_run, make_site, read
from tests.payments.helpers import pdf_text

D = Decimal
BASE = "/api/billing/reports"


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "pat")


async def _january(client, feed, tech, sup, sup2):
    """A home (RES, 5/8", sewer) that used 12, a shop (COM, 1") that used 8 and a vacant
    home (MFR) that used nothing, billed in January's run (posted 2026-02-02); a C2 home never
    billed."""
    assert (await client.post("/api/billing/rates/versions", json=RATES,
                              headers=tech)).status_code == 201
    home = await make_site(feed)
    shop = await make_site(feed, rate_class="COM", kind="commercial", size="1", sewer=False)
    vacant = await make_site(feed, rate_class="MFR", kind="multi_family", units=2,
                             sewer=False)
    other = await make_site(feed, cycle="C2", sewer=False)
    for site, value in ((home, "12"), (shop, "8"), (vacant, "0")):
        await read(client, tech, site, value)
    run = await billed_run(client, tech, sup, sup2)
    return home, shop, vacant, other, run


async def get(client, h, name, **params):
    r = await client.get(f"{BASE}/{name}", params=params, headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def test_billed_consumption_and_revenue_are_by_service_class_and_meter_size_and_tie(
        client, feed, tech, sup, sup2):
    *_, run = await _january(client, feed, tech, sup, sup2)
    r = await get(client, tech, "billed-consumption", month="2026-02")
    lines = {(x["service"], x["rate_class"], x["meter_size"]): (
        x["bills"], D(x["consumption"]), D(x["revenue"])) for x in r["lines"]}
    assert lines[("water", "RES", "5/8")] == (1, D(12), D("58.00"))  # 20 + 10x3 + 2x4
    assert lines[("water", "COM", "1")] == (1, D(8), D("65.00"))  # 35 + 8 x 3.75
    assert lines[("water", "MFR", "5/8")][:2] == (1, D(0))
    assert D(r["revenue"]) == D(run["total"])
    assert r["tie"]["difference"] == "0.00" and D(r["tie"]["ledger"]) == D(run["total"])
    jan = await get(client, tech, "billed-consumption", month="2026-01")
    assert jan["lines"] == [] and jan["revenue"] == "0.00"


async def test_a_cancelled_bill_counts_against_the_month_it_was_cancelled_in(
        client, feed, tech, sup, sup2):
    home, *_, run = await _january(client, feed, tech, sup, sup2)
    old = await bill_id_of(client, tech, run["id"], home.account_id)
    rb = await client.post(f"/api/billing/runs/rebill/{old}", headers=tech,
                           json={"reason": "misread"})
    assert rb.status_code == 201, rb.text
    for step, h in (("prepare", tech), ("approve", sup), ("finalise", sup2)):
        assert (await client.post(f"/api/billing/runs/{rb.json()['id']}/{step}",
                                  headers=h)).status_code == 200
    month = rb.json()["bill_date"][:7]
    r = await get(client, tech, "billed-consumption", month=month)
    assert r["tie"]["difference"] == "0.00"
    assert D(r["revenue"]) == D(r["tie"]["ledger"]) == D("0.00")  # the same read rebilled
    home_water = next(x for x in r["lines"] if (x["service"], x["rate_class"]) == (
        "water", "RES"))
    assert (home_water["bills"], D(home_water["revenue"])) == (0, D("0.00"))
    credits = await get(client, tech, "bills-and-credits", month=month)
    cancels = [x for x in credits["lines"] if x["kind"] == "bill_cancel"]
    assert [(x["entries"], x["reason"], x["approved_by"]) for x in cancels] == [
        (1, "rebill", "sam")]
    assert credits["tie"]["difference"] == "0.00"


async def test_bills_adjustments_and_credits_are_by_reason_and_approver_and_tie(
        client, feed, tech, sup, sup2):
    home, shop, *_ = await _january(client, feed, tech, sup, sup2)
    adj = await client.post("/api/billing/adjustments", headers=tech, json={
        "account_id": home.account_id, "amount": "-10.00", "reason_code": "courtesy",
        "reason": "sorry"})
    assert adj.status_code == 201, adj.text
    await feed.send("collections.LateChargeAssessed", f"account:{shop.account_id}", {
        "account_id": shop.account_id, "amount": "12.50",
        "assessed_on": str(utility_today()), "notice_id": "n-1"})
    await feed.drain()
    feb = await get(client, tech, "bills-and-credits", month="2026-02")
    [bills] = feb["lines"]
    assert (bills["kind"], bills["reason"], bills["approved_by"], bills["entries"]) == (
        "bill", "cycle bill", "sam", 3)
    now = await get(client, tech, "bills-and-credits", month=f"{utility_today():%Y-%m}")
    by = {(x["kind"], x["reason"]): x for x in now["lines"]}
    assert D(by[("adjustment", "courtesy")]["credits"]) == D("-10.00")
    assert D(by[("late_charge", "")]["charges"]) == D("12.50")
    assert D(now["net"]) == D("2.50") and now["tie"]["difference"] == "0.00"


async def test_unbilled_and_zero_consumption_accounts_are_listed(client, feed, tech, sup, sup2):
    home, shop, vacant, other, _ = await _january(client, feed, tech, sup, sup2)
    r = await get(client, tech, "unbilled", month="2026-02")
    got = {x["account_id"]: x["reason"] for x in r["lines"]}
    assert got == {other.account_id: "unbilled", vacant.account_id: "zero_consumption"}
    assert (r["unbilled"], r["zero_consumption"]) == (1, 1)
    line = next(x for x in r["lines"] if x["account_id"] == vacant.account_id)
    assert (line["cycle"], line["last_billed"]) == ("C1", "2026-02-02")


async def test_reads_are_counted_by_source_kind_and_status(client, feed, tech, sup, sup2):
    await _january(client, feed, tech, sup, sup2)
    r = await get(client, tech, "reads-by-source", month="2026-01")
    got = [(x["source"], x["kind"], x["valid"], x["pending"], x["rejected"])
           for x in r["lines"]]
    # the vacant home's zero read waits for review; each new meter's install read counts
    assert got == [("api", "actual", 2, 1, 0), ("install", "actual", 4, 0, 0)]
    assert (r["total"]["total"], D(r["total"]["usage"])) == (7, D(20))
    assert (await get(client, tech, "reads-by-source", month="2026-03"))["lines"] == []


async def test_connections_count_customers_and_services_by_class_and_meter_size(
        client, feed, tech, sup, sup2):
    await _january(client, feed, tech, sup, sup2)
    r = await get(client, tech, "connections", year="2026")
    lines = {(x["service"], x["rate_class"], x["meter_size"]): (
        x["accounts"], x["connections"], x["dwelling_units"]) for x in r["lines"]}
    assert lines == {("water", "RES", "5/8"): (2, 2, 2), ("water", "COM", "1"): (1, 1, 1),
                     ("water", "MFR", "5/8"): (1, 1, 2),
                     ("wastewater", "RES", "5/8"): (1, 1, 1)}
    assert (r["accounts"], r["connections"]) == (5, 5)
    assert (await get(client, tech, "connections", year="2025"))["lines"] == []


async def test_water_delivered_is_by_customer_class_by_month_as_the_state_asks(
        client, feed, tech, sup, sup2):
    await _january(client, feed, tech, sup, sup2)
    r = await get(client, tech, "water-delivered", year="2026")
    feb = r["months"][1]
    assert feb["month"] == 2 and r["unit"] == "CCF"
    assert {k: D(v) for k, v in feb["by_class"].items() if D(v)} == {
        "single_family": D(12), "commercial": D(8)}
    assert list(r["classes"]) == ["single_family", "multi_family", "commercial",
                                  "industrial", "irrigation", "agriculture", "other"]
    billed = await get(client, tech, "billed-consumption", month="2026-02")
    water = sum(D(x["consumption"]) for x in billed["lines"] if x["service"] == "water")
    assert D(r["total"]) == water == D(20)


async def test_conservation_gives_residential_gallons_per_capita_per_day(
        client, feed, tech, sup, sup2, monkeypatch):
    await _january(client, feed, tech, sup, sup2)
    r = await get(client, tech, "conservation", month="2026-02")
    assert (D(r["residential_hcf"]), r["population"], r["r_gpcd"]) == (D(12), 0, None)
    monkeypatch.setattr(get_settings(), "service_area_population", 3)
    r = await get(client, tech, "conservation", month="2026-02")
    # 12 HCF x 748.052 = 8,976.624 gallons / 3 people / 28 days = 106.9
    assert (r["residential_gallons"], r["days"], r["r_gpcd"]) == ("8977", 28, "106.9")
    assert D(r["total_hcf"]) == D(20)


async def test_the_catalogue_lists_every_report_with_a_pdf_and_a_csv_that_carry_the_total(
        client, feed, tech, sup, sup2, auth):
    *_, run = await _january(client, feed, tech, sup, sup2)
    cat = await client.get(BASE, headers=auth("csr1"))
    assert cat.status_code == 200, cat.text
    entries = {e["name"]: e for e in cat.json()["reports"]}
    assert set(entries) == {"billed-consumption", "bills-and-credits", "unbilled",
                            "reads-by-source", "conservation", "connections",
                            "water-delivered"}
    for e in entries.values():
        params = {"month": "2026-02"} if e["period"] == "month" else {"year": "2026"}
        for fmt in ("csv", "pdf"):
            r = await client.get(f"{e['path']}.{fmt}", params=params, headers=tech)
            assert r.status_code == 200, (e["name"], fmt, r.text)
            if fmt == "pdf":
                assert r.content.startswith(b"%PDF")
            else:
                assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO((await client.get(
        f"{BASE}/billed-consumption.csv", params={"month": "2026-02"}, headers=tech)).text)))
    assert rows[0][:3] == ["Service", "Rate class", "Meter size"]
    assert rows[-1][0] == "Total" and D(rows[-1][-1]) == D(run["total"])
    pdf = await client.get(f"{BASE}/billed-consumption.pdf", params={"month": "2026-02"},
                           headers=tech)
    text = pdf_text(pdf.content)
    assert f"{D(run['total']):,.2f}" in text and "Revenue by service" in text


async def test_a_period_that_is_not_a_period_is_refused(client, tech):
    for path, params in (("billed-consumption", {"month": "2026-13"}),
                         ("connections", {"year": "0000"}),
                         ("water-delivered.xls", {"year": "2026"}),
                         ("nothing.csv", {})):
        r = await client.get(f"{BASE}/{path}", params=params, headers=tech)
        assert r.status_code == 422, (path, r.text)
    assert (await client.get(BASE)).status_code == 401
