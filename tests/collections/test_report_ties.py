"""The monthly aging report ties to billing's ledger to the cent: generated accounts billed by
billing's real runs (with a budget-billing deferral and a cancel-and-rebill), paid, partly
paid, overpaid, returned and late-charged through billing's own handlers; billing's events
relayed to collections; the report's total equals the sum of billing's balances, and each
account's aging equals billing's."""

from __future__ import annotations

import csv
import io
import random
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from kernel.clock import utility_today
from services.collections.aging.domain import BUCKETS
from tests.billing.helpers import RATES, bill_id_of, billed_run, make_site, read
from tests.billing.helpers import Feeder as BillingFeeder
from tests.collections.helpers import Acct, bill_issued, entry_posted, make_account

D = Decimal


@pytest.fixture
def tech(auth):
    return auth("billing_tech", "tina")


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "pat")


async def _generate(client, bound, service_apps, tech, sup, sup2, n: int = 12) -> list[str]:
    rng = random.Random(998)
    bf = BillingFeeder(bound, service_apps)
    assert (await client.post("/api/billing/rates/versions", json=RATES,
                              headers=tech)).status_code == 201
    sites = [await make_site(bf, sewer=rng.random() < 0.5) for _ in range(n)]
    jan = {s.account_id: rng.randint(0, 40) for s in sites}
    for s in sites:
        await read(client, tech, s, str(jan[s.account_id]))
    run1 = await billed_run(client, tech, sup, sup2)
    # budget billing for the first account (a year of history), so run 2 posts a deferral
    budget = sites[0]
    for m in range(1, 13):
        await bound["billing"].execute(text(
            "INSERT INTO bills (id, run_id, account_id, period_start, period_end, status, "
            "total) VALUES (gen_random_uuid(), gen_random_uuid(), :a, :s, :e, 'final', 90)"),
            {"a": budget.account_id, "s": date(2025, m, 1), "e": date(2025, m, 28)})
    assert (await client.post("/api/billing/ledger/budget", headers=tech, json={
        "account_id": budget.account_id})).status_code == 201
    feb_reads = {}
    for s in sites:
        feb_reads[s.account_id] = await read(
            client, tech, s, str(jan[s.account_id] + rng.randint(1, 30)), on="2026-02-28")
    run2 = await billed_run(client, tech, sup, sup2, start="2026-02-01", end="2026-02-28",
                            bill_date="2026-03-02")
    # a misread rebilled: the bill is cancelled and replaced
    fixed = sites[1]
    await bound["billing"].execute(text("UPDATE reads SET status = 'rejected' WHERE id = :r"),
                                   {"r": feb_reads[fixed.account_id]["id"]})
    await read(client, tech, fixed, str(jan[fixed.account_id] + 1), on="2026-02-27")
    old = await bill_id_of(client, tech, run2["id"], fixed.account_id)
    rb = await client.post(f"/api/billing/runs/rebill/{old}", headers=tech,
                           json={"reason": "misread"})
    assert rb.status_code == 201, rb.text
    for step, h in (("prepare", tech), ("approve", sup), ("finalise", sup2)):
        assert (await client.post(f"/api/billing/runs/{rb.json()['id']}/{step}",
                                  headers=h)).status_code == 200
    # payments, returns and late charges, through billing's own handlers
    for i, s in enumerate(sites):
        key = f"account:{s.account_id}"
        bill1 = await bill_id_of(client, tech, run1["id"], s.account_id)
        total1 = D((await client.get(f"/api/billing/bills/{bill1}", headers=tech)).json()[
            "total"])
        amount = {0: total1, 1: (total1 / 2).quantize(D("0.01")), 2: total1 + D("12.34"),
                  3: D("0")}[i % 4]
        if amount:
            pid = f"pay-{uuid.uuid4()}"
            await bf.send("payments.PaymentPosted", key, {"payment": {
                "id": pid, "account_id": s.account_id, "amount": str(amount),
                "received_on": f"2026-02-{10 + i:02d}"}})
            if i == 4:
                await bf.send("payments.PaymentReturned", key, {
                    "payment_id": pid, "account_id": s.account_id, "amount": str(amount),
                    "date": "2026-02-25", "return_id": f"ret-{pid}"})
        if i % 4 == 3:
            await bf.send("collections.LateChargeAssessed", key, {
                "account_id": s.account_id, "amount": "5.00", "assessed_on": "2026-03-10",
                "notice_id": str(uuid.uuid4())})
    await bf.drain()
    return [s.account_id for s in sites]


async def test_the_aging_report_ties_to_billing_s_ledger_to_the_cent(
        client, bound, service_apps, pump, tech, sup, sup2, auth):
    accounts = await _generate(client, bound, service_apps, tech, sup, sup2)
    await pump("billing", "collections")
    b = bound["billing"]
    ledger_total = D((await b.execute(text(
        "SELECT coalesce(sum(amount), 0) FROM ledger_entries"))).scalar_one())
    kinds = set((await b.execute(text("SELECT DISTINCT kind FROM ledger_entries"))).scalars())
    assert {"bill", "bill_cancel", "budget_deferral", "payment", "payment_reversal",
            "late_charge"} <= kinds  # the generated ledger has every kind collections reads
    rec = (await client.get("/api/billing/ledger/reconciliation", headers=tech)).json()
    assert D(rec["balances_total"]) == ledger_total

    today = utility_today()
    r = await client.get("/api/collections/reports/aging", params={"as_of": str(today)},
                         headers=tech)
    assert r.status_code == 200, r.text
    report = r.json()
    assert D(report["totals"]["balance"]) == ledger_total
    assert report["totals"]["accounts"] == len(accounts)
    assert D(report["billing_announced_total"]) == ledger_total
    assert report["accounts_behind"] == 0
    assert sum(D(x["balance"]) for x in report["rows"]) == ledger_total
    totals = report["totals"]
    assert sum(D(totals["buckets"][k]) for k in BUCKETS) - D(totals["unapplied_credit"]) \
        == ledger_total

    for account_id in accounts:
        theirs = (await client.get(f"/api/billing/ledger/accounts/{account_id}",
                                   headers=tech)).json()
        ours = (await client.get(f"/api/collections/accounts/{account_id}/aging",
                                 params={"today": str(today)}, headers=tech)).json()
        assert (ours["balance"], ours["billing_balance"]) == (theirs["balance"],) * 2
        assert D(ours["unapplied_credit"]) == D(theirs["unapplied_credit"])
        ob = {k: D(v) for k, v in ours["buckets"].items()}
        assert {"current": ob["current"], "days_1_30": ob["days_1_30"],
                "days_31_60": ob["days_31_60"], "days_61_90": ob["days_61_90"],
                "days_over_90": ob["days_91_120"] + ob["days_over_120"]} == {
            k: D(v) for k, v in theirs["aging"].items()}

    csv_r = await client.get("/api/collections/reports/aging.csv",
                             params={"as_of": str(today)}, headers=tech)
    assert csv_r.status_code == 200 and csv_r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_r.text)))
    assert rows[-1]["account_id"] == "TOTAL" and D(rows[-1]["balance"]) == ledger_total
    assert sum(D(x["balance"]) for x in rows[:-1]) == ledger_total
    pdf = await client.get("/api/collections/reports/aging.pdf",
                           params={"as_of": str(today)}, headers=tech)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from tests.payments.helpers import pdf_text
    assert f"{ledger_total:.2f}" in pdf_text(pdf.content)


async def test_a_month_end_report_leaves_out_what_was_posted_after_it(client, feed, auth):
    h = auth("csr1", "cody")
    a: Acct = await make_account(feed)
    key = f"account:{a.id}"
    await feed.send("billing.BillIssued", key, bill_issued(
        a, "100.00", "100.00", due="2026-01-21", bill_date="2026-01-01"))
    await feed.send("billing.LedgerEntryPosted", key,
                    entry_posted(a, "payment", "-100.00", "2026-02-03", "0.00"))
    await feed.send("billing.BillIssued", key, bill_issued(
        a, "70.00", "70.00", due="2026-02-21", bill_date="2026-02-01"))
    await feed.drain()
    jan = (await client.get("/api/collections/reports/aging", params={"as_of": "2026-01-31"},
                            headers=h)).json()
    row = next(x for x in jan["rows"] if x["account_id"] == a.id)
    assert (row["buckets"]["days_1_30"], row["balance"], row["days_past_due"]) == (
        "100.00", "100.00", 10)
    assert (row["number"], row["name"]) == (a.number, "Rosa Diaz")
    feb = (await client.get("/api/collections/reports/aging", params={"as_of": "2026-02-28"},
                            headers=h)).json()
    row = next(x for x in feb["rows"] if x["account_id"] == a.id)
    assert (row["buckets"]["days_1_30"], row["balance"]) == ("70.00", "70.00")


async def test_the_totals_alone_are_the_reports_totals_without_a_row_per_account(
        client, feed, auth):
    h = auth("csr2", "carmen")
    for amount in ("100.00", "42.50"):
        a: Acct = await make_account(feed)
        await feed.send("billing.BillIssued", f"account:{a.id}", bill_issued(
            a, amount, amount, due="2026-01-21", bill_date="2026-01-01"))
    await feed.drain()
    params = {"as_of": "2026-02-28"}
    full = (await client.get("/api/collections/reports/aging", params=params, headers=h)).json()
    short = (await client.get("/api/collections/reports/aging", params={**params, "rows": "false"},
                              headers=h)).json()
    assert len(full["rows"]) >= 2 and short["rows"] == []
    assert short["totals"] == full["totals"] and short["as_of"] == full["as_of"]
    assert D(short["totals"]["buckets"]["days_31_60"]) >= D("142.50")


async def test_the_report_refuses_a_date_that_is_not_a_date(client, auth):
    r = await client.get("/api/collections/reports/aging", params={"as_of": "31/01/2026"},
                         headers=auth("csr1"))
    assert r.status_code == 422
    assert (await client.get("/api/collections/reports/aging")).status_code == 401
