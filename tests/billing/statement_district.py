"""A small district for statement tests, through the real APIs and events: the demo rates, four
customers (residential tiered, multi-family, commercial in another cycle, a Spanish-speaking
customer on autopay), monthly reads and runs, a payment and an adjustment between bills, and
(optionally) a rate change in the commercial customer's last period."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from services.billing.demo import load_demo, load_rates, rate_schedule
from tests.billing.helpers import Feeder, billed_run, luhn

_n = [73000000]  # eight digits + the check digit: nine, as accounts issues them


@dataclass
class Customer:
    name: str
    account_id: str
    number: str
    meter_id: str
    postal_code: str
    language: str
    value: Decimal = Decimal(0)
    bills: list[str] = field(default_factory=list)


async def customer(f: Feeder, name: str, *, rate_class: str = "RES", cycle: str = "C1",
                   kind: str = "single_family", units: int = 1, size: str = "5/8",
                   sewer_class: str | None = "RES", postal: str = "95000",
                   language: str = "en", start: date = date(2024, 11, 1)) -> Customer:
    _n[0] += 1
    acct, prem, meter, cust = (str(uuid.uuid4()) for _ in range(4))
    number = luhn(str(_n[0]))
    street = f"{_n[0] % 900 + 100} Willow Creek Road"
    mailing = {"line1": street, "line2": None, "city": "Riverbend", "state": "CA",
               "postal_code": postal}
    await f.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "kind": "person", "name": name, "emails": [], "paperless": False}})
    await f.send("accounts.AccountChanged", f"account:{acct}", {"account": {
        "id": acct, "number": number, "customer_id": cust, "status": "active",
        "mailing_address": mailing, "language": language, "paperless": False,
        "deposit_held": "0.00"}})
    await f.send("accounts.PremiseChanged", f"premise:{prem}", {"premise": {
        "id": prem, "address": {"line1": street, "city": "Riverbend"}, "apn": "1",
        "kind": kind, "dwelling_units": units, "cycle": cycle, "route": f"R{cycle[-1]}1"}})
    await f.send("accounts.MeterChanged", f"meter:{meter}", {"meter": {
        "id": meter, "serial": f"MX{_n[0]}", "size": size, "kind": "positive_displacement",
        "dials": 5, "multiplier": "1", "unit": "HCF", "status": "installed",
        "premise_id": prem, "installed_at": start.isoformat(), "install_read": "0"}})
    services = [("water", rate_class)] + ([("wastewater", sewer_class)] if sewer_class else [])
    for service, cls in services:
        await f.send("accounts.ServiceStarted", f"account:{acct}", {"service_agreement": {
            "id": str(uuid.uuid4()), "account_id": acct, "premise_id": prem,
            "service": service, "rate_class": cls, "meter_id": meter,
            "start_date": start.isoformat(), "stop_date": None, "status": "active"}})
    await f.drain()
    return Customer(name, acct, number, meter, postal, language)


def month_end(start: date) -> date:
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


async def read(client: Any, tech: dict[str, str], c: Customer, use: Decimal, on: date) -> None:
    c.value += use
    r = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": c.meter_id, "read_on": on.isoformat(), "value": str(c.value)})
    assert r.status_code == 201, r.text


async def run_month(client: Any, people: list[Customer], tech: dict[str, str],
                    sup: dict[str, str], sup2: dict[str, str], cycle: str, start: date,
                    end: date, uses: dict[str, Decimal]) -> str:
    for c in people:
        await read(client, tech, c, uses[c.name], end)
    run = await billed_run(client, tech, sup, sup2, cycle=cycle, start=start.isoformat(),
                           end=end.isoformat(), bill_date=(end + timedelta(days=2)).isoformat())
    bills = (await client.get(f"/api/billing/runs/{run['id']}/bills", headers=tech)).json()
    for c in people:
        c.bills += [b["id"] for b in bills if b["account_id"] == c.account_id]
    return str(run["id"])


SEASON = (Decimal(9), Decimal(8), Decimal(9), Decimal(11), Decimal(13), Decimal(16),
          Decimal(18), Decimal(17), Decimal(14), Decimal(12), Decimal(10), Decimal(9))


@dataclass
class District:
    res: Customer
    mfr: Customer
    com: Customer
    es: Customer
    runs: list[str]

    @property
    def everyone(self) -> list[Customer]:
        return [self.res, self.mfr, self.es, self.com]


async def build(client: Any, feed: Feeder, service_apps: dict[str, Any], bound: dict[str, Any],
                tech: dict[str, str], sup: dict[str, str], sup2: dict[str, str],
                months: int = 2) -> District:
    """`months` monthly C1 runs ending January 2026; C2 (commercial) runs Dec 16 - Jan 15 and
    Jan 16 - Feb 15, with new rates from Feb 1 splitting the last one."""
    async with service_apps["billing"].state.db.session() as s:
        await load_demo(s, date(2026, 1, 15))
        await load_rates(s, date(2024, 7, 1))
        await s.commit()
    opening = date(2026 - (months > 1) - (months > 13), (1 - months) % 12 + 1, 1)
    installed = min(opening, date(2025, 12, 1)) - timedelta(days=61)
    res = await customer(feed, "Alex Rivera", postal="95003", start=installed)
    mfr = await customer(feed, "Oakview Apartments LLC", rate_class="MFR", kind="multi_family",
                         units=8, size="2", postal="95001",
                         start=installed)
    es = await customer(feed, "Lucía Hernández", postal="95001", language="es", start=installed)
    com = await customer(feed, "Riverbend Hardware", rate_class="COM", cycle="C2", size="2",
                         sewer_class="COM", postal="95002", start=date(2025, 12, 15))
    await feed.send("payments.AutopayEnrolled", f"account:{es.account_id}", {
        "account_id": es.account_id, "enrolment_id": str(uuid.uuid4()), "method": "bank",
        "display": "checking ****6789", "status": "active", "reason": None,
        "effective_on": "2025-01-01", "return_code": None})
    await feed.drain()
    runs = []
    first = date(2026, 1, 1)
    for c, use in ((res, 20), (mfr, 110), (es, 18)):  # the read before the first bill's
        await read(client, tech, c, Decimal(use), opening - timedelta(days=1))
    for back in range(months - 1, -1, -1):
        y, m = (first.year, first.month - back)
        while m < 1:
            y, m = y - 1, m + 12
        start = date(y, m, 1)
        season = SEASON[start.month - 1]
        uses = {res.name: season + 2, mfr.name: season * 6, es.name: season - 1}
        if back == 0 and months >= 13:  # a year of bills: the Spanish customer takes a budget
            r = await client.post("/api/billing/ledger/budget", headers=tech,
                                  json={"account_id": es.account_id})
            assert r.status_code == 201, r.text
        runs.append(await run_month(client, [res, mfr, es], tech, sup, sup2, "C1", start,
                                    month_end(start), uses))
        if back == 1:  # a payment and an adjustment between the last two bills
            await feed.send("payments.PaymentPosted", f"account:{res.account_id}", {"payment": {
                "id": str(uuid.uuid4()), "account_id": res.account_id, "amount": "40.00",
                "received_on": "2026-01-12"}})
            await feed.drain()
            r = await client.post("/api/billing/adjustments", headers=tech, json={
                "account_id": res.account_id, "amount": "-5.00", "reason_code": "courtesy",
                "reason": "meter access"})
            assert r.status_code in (200, 201), r.text
    await run_month(client, [com], tech, sup, sup2, "C2", date(2025, 12, 16),
                    date(2026, 1, 15), {com.name: Decimal(40)})
    v = rate_schedule(date(2026, 2, 1)).model_dump(mode="json")
    v["name"] = "Rates effective 2026-02-01"
    for c in v["classes"]:
        for b in c["blocks"]:
            b["price"] = str((Decimal(b["price"]) * Decimal("1.06")).quantize(Decimal("0.01")))
    r = await client.post("/api/billing/rates/versions", json=v, headers=tech)
    assert r.status_code == 201, r.text
    runs.append(await run_month(client, [com], tech, sup, sup2, "C2", date(2026, 1, 16),
                                date(2026, 2, 15), {com.name: Decimal(44)}))
    return District(res, mfr, com, es, runs)


async def estimated(bound: dict[str, Any], c: Customer) -> None:
    """Mark the customer's last read as estimated (as an estimate resolving an exception)."""
    await bound["billing"].execute(text(
        "UPDATE reads SET kind = 'estimated' WHERE id = (SELECT id FROM reads "
        "WHERE meter_id = :m ORDER BY read_on DESC LIMIT 1)"), {"m": c.meter_id})
