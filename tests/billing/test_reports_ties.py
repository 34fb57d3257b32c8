"""Every money report ties to billing's ledger on the demo district, to the cent.

The demo district (accounts' and billing's demo loaders, as `make run` loads them, with 60
accounts) is copied to billing, payments and collections through their events; cycle C1 is
read and billed for last month (posted this month), one bill is cancelled and rebilled, a
deposit is credited, an adjustment and a late charge are posted, and the counter takes cash
and a check. Then, for this month (and this year for deposits), each report of each service
equals what billing's ledger holds for the same days: billing's billed revenue (bill entries
less cancellations), its bills and credits (every entry but payments), payments' receipts by
tender (payment entries), collections' aging roll (the month's movement and the closing
balance), accounts' deposits credited (deposit credits on the ledger)."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from kernel.clock import utility_today
from services.accounts.demo import load_demo as accounts_demo
from services.billing.demo import load_demo as billing_demo
from tests.billing.helpers import bill_id_of, billed_run
from tests.payments.deposits_helpers import open_drawer, take

D = Decimal


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "pat")


async def _ledger(b, start: date, end: date, where: str = "true") -> Decimal:
    return D((await b.execute(text(
        f"SELECT coalesce(sum(amount), 0.00) FROM ledger_entries "  # noqa: S608 - fixed text
        f"WHERE posted_on BETWEEN :s AND :e AND {where}"), {"s": start, "e": end})).scalar_one())


async def _demo_month(client, bound, service_apps, pump, tech, sup, sup2, auth):
    today = utility_today()
    for name, loader in (("accounts", lambda s: accounts_demo(s, today, count=60)),
                         ("billing", lambda s: billing_demo(s, today))):
        async with service_apps[name].state.db.session() as s:
            await loader(s)
            await s.commit()
    for sub in ("billing", "payments", "collections"):
        await pump("accounts", sub)
    b = bound["billing"]
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    meters = (await b.execute(text(
        "SELECT sa.account_id, m.id AS meter_id, coalesce(m.install_read, 0) AS start "
        "FROM service_agreements sa JOIN premises p ON p.id = sa.premise_id "
        "JOIN meters m ON m.id = sa.meter_id WHERE p.cycle = 'C1' "
        "AND sa.service IN ('water', 'irrigation') AND sa.status = 'active' "
        "AND sa.start_date <= :d ORDER BY sa.account_id"), {"d": last_month_end})).all()
    assert len(meters) >= 5
    rng = random.Random(15)
    for m in meters:
        r = await client.post("/api/billing/reads", headers=tech, json={
            "meter_id": str(m.meter_id), "read_on": str(last_month_end),
            "value": str(D(m.start) + rng.randint(0, 30))})
        assert r.status_code == 201, r.text
    run = await billed_run(client, tech, sup, sup2, start=str(last_month_end.replace(day=1)),
                           end=str(last_month_end), bill_date=str(first + timedelta(days=1)))
    billed = [str(m.account_id) for m in meters]
    old = await bill_id_of(client, tech, run["id"], billed[0])
    rb = await client.post(f"/api/billing/runs/rebill/{old}", headers=tech,
                           json={"reason": "misread"})
    assert rb.status_code == 201, rb.text
    for step, h in (("prepare", tech), ("approve", sup), ("finalise", sup2)):
        assert (await client.post(f"/api/billing/runs/{rb.json()['id']}/{step}",
                                  headers=h)).status_code == 200
    assert (await client.post("/api/billing/adjustments", headers=tech, json={
        "account_id": billed[1], "amount": "-7.25", "reason_code": "courtesy",
        "reason": "sorry"})).status_code == 201
    # a deposit credited to its account (accounts -> billing's deposit_applied)
    holder = (await bound["accounts"].execute(text(
        "SELECT id FROM accounts WHERE deposit_held > 0 ORDER BY number LIMIT 1"))).scalar_one()
    r = await client.post(f"/api/accounts/deposits/{holder}/release", headers=sup, json={
        "method": "credit", "on_date": str(today), "reason": "good history"})
    assert r.status_code == 200, r.text
    await pump("accounts", "billing")
    numbers = dict((await b.execute(text(
        "SELECT id::text, number FROM accounts WHERE id = ANY(CAST(:a AS uuid[]))"),
        {"a": billed[:3]})).all())
    cashier = auth("csr1", "carla")
    drawer = await open_drawer(client, cashier)
    await take(client, cashier, drawer, numbers[billed[0]], "40.00")
    await take(client, cashier, drawer, numbers[billed[1]], "25.55", "check",
               check_number="501", bank="Town Bank")
    await take(client, cashier, drawer, numbers[billed[2]], "13.13")
    await pump("payments", "billing")
    for sub in ("payments", "collections"):
        await pump("billing", sub)
    return today


async def test_every_money_report_ties_to_the_ledger_on_the_demo_district(
        client, bound, service_apps, pump, tech, sup, sup2, auth):
    today = await _demo_month(client, bound, service_apps, pump, tech, sup, sup2, auth)
    b = bound["billing"]
    month = f"{today:%Y-%m}"
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    kinds = set((await b.execute(text(
        "SELECT DISTINCT kind FROM ledger_entries WHERE posted_on BETWEEN :s AND :e"),
        {"s": start, "e": end})).scalars())
    assert {"bill", "bill_cancel", "adjustment", "deposit_applied", "payment"} <= kinds

    # billing: billed revenue = bill entries less cancellations
    billed_ledger = await _ledger(b, start, end, "kind IN ('bill', 'bill_cancel')")
    r = (await client.get("/api/billing/reports/billed-consumption", params={"month": month},
                          headers=tech)).json()
    assert D(r["revenue"]) == billed_ledger == sum(D(x["revenue"]) for x in r["lines"])
    assert billed_ledger > 0 and r["tie"]["difference"] == "0.00"
    rows = list(csv.reader(io.StringIO((await client.get(
        "/api/billing/reports/billed-consumption.csv", params={"month": month},
        headers=tech)).text)))
    assert D(rows[-1][-1]) == billed_ledger

    # billing: bills, adjustments and credits = every entry but payments
    others = await _ledger(b, start, end, "kind NOT IN ('payment', 'payment_reversal')")
    r = (await client.get("/api/billing/reports/bills-and-credits", params={"month": month},
                          headers=tech)).json()
    assert D(r["net"]) == others == sum(D(x["net"]) for x in r["lines"])
    assert r["tie"]["difference"] == "0.00"
    by_kind = {x["kind"] for x in r["lines"]}
    assert {"bill", "bill_cancel", "adjustment", "deposit_applied"} <= by_kind

    # payments: receipts by tender = the ledger's payments
    payments = -await _ledger(b, start, end, "kind = 'payment'")
    r = (await client.get("/api/payments/reports/receipts-by-tender", params={"month": month},
                          headers=tech)).json()
    assert D(r["total"]["amount"]) == payments == D("78.68")
    assert r["ledger"]["receipts_less_ledger"] == "0.00"

    # collections: the month's movement and the closing balance
    r = await client.get("/api/collections/reports/aging-roll", params={"month": month},
                         headers=tech)
    assert r.status_code == 200, r.text
    roll = r.json()["roll_forward"]
    moved = await _ledger(b, start, end)
    closing = await _ledger(b, date(1900, 1, 1), end)
    assert D(roll["charges"]) - D(roll["credits"]) == moved
    assert D(roll["closing"]) == closing and roll["difference"] == "0.00"

    # accounts: deposits credited this year = the ledger's deposit credits
    r = (await client.get("/api/accounts/reports/deposits", params={"year": today.year},
                          headers=tech)).json()
    credited = -await _ledger(b, date(today.year, 1, 1), date(today.year, 12, 31),
                              "kind = 'deposit_applied'")
    assert D(r["total"]["credited_amount"]) == credited == D("100.00")
