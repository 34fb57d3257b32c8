"""Feeding billing's copy in tests: accounts events straight into billing's inbox."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text

RATES: dict[str, Any] = {
    "name": "FY2026",
    "effective_date": "2025-07-01",
    "drought_stage": 0,
    "fixed": [
        {"service": "water", "meter_size": "5/8", "amount": "20.00"},
        {"service": "water", "meter_size": "1", "amount": "35.00"},
        {"service": "wastewater", "meter_size": "5/8", "amount": "15.00"},
        {"service": "wastewater", "meter_size": "1", "amount": "15.00"},
        {"service": "fire_line", "meter_size": "4", "amount": "40.00"},
    ],
    "classes": [
        {"service": "water", "rate_class": "RES", "blocks": [
            {"width": "10", "price": "3.00"}, {"width": "10", "price": "4.00"},
            {"width": None, "price": "5.50"}]},
        {"service": "water", "rate_class": "MFR", "widths_per_unit": True, "blocks": [
            {"width": "5", "price": "3.00"}, {"width": None, "price": "4.00"}]},
        {"service": "water", "rate_class": "COM", "minimum_charge": "50.00",
         "blocks": [{"width": None, "price": "3.75"}]},
        {"service": "wastewater", "rate_class": "RES", "basis": "winter_average", "cap": "15",
         "blocks": [{"width": None, "price": "6.00"}]},
        {"service": "fire_line", "rate_class": "FIRE", "basis": "fixed_only"},
    ],
    "surcharges": [{"service": "water", "stage": 2, "price": "1.00"}],
    "fees": [],
}


@dataclass
class Feeder:
    bound: dict[str, Any]
    apps: dict[str, Any]
    seq: dict[tuple[str, str], int] = field(default_factory=dict)

    async def send(self, type_: str, key: str, payload: dict[str, Any]) -> uuid.UUID:
        k = (type_.split(".")[0], key)
        self.seq[k] = self.seq.get(k, 0) + 1
        eid = uuid.uuid4()
        await self.bound["billing"].execute(
            text("INSERT INTO inbox (event_id, source, type, version, key, key_seq, payload, "
                 "occurred_at) VALUES (:e, :s, :t, 1, :k, :q, CAST(:p AS jsonb), :o)"),
            {"e": eid, "s": type_.split(".")[0], "t": type_, "k": key, "q": self.seq[k],
             "p": json.dumps(payload, default=str), "o": datetime.now(UTC)})
        return eid

    async def drain(self) -> int:
        return int(await self.apps["billing"].state.inbox.drain())


def luhn(nine: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(nine)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return nine + str((10 - total % 10) % 10)


@dataclass
class Site:
    account_id: str
    premise_id: str
    meter_id: str
    serial: str
    water_sa: str
    sewer_sa: str | None
    customer_id: str


_n = [100000000]


async def make_site(f: Feeder, *, cycle: str = "C1", route: str = "R1", rate_class: str = "RES",
                    kind: str = "single_family", units: int = 1, size: str = "5/8",
                    dials: int = 4, multiplier: str = "1", install_read: str = "0",
                    start: date = date(2026, 1, 1), sewer: bool = True,
                    paperless: bool = False, customer_id: str | None = None,
                    account_status: str = "active") -> Site:
    _n[0] += 1
    acct, prem, meter = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    cust = customer_id or str(uuid.uuid4())
    serial = f"M{_n[0]}"
    await f.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
        "id": cust, "kind": "person", "name": f"Customer {_n[0]}", "emails": ["c@example.org"],
        "paperless": paperless}})
    await f.send("accounts.AccountChanged", f"account:{acct}", {"account": {
        "id": acct, "number": luhn(str(_n[0])), "customer_id": cust, "status": account_status,
        "mailing_address": {"line1": "1 Main St", "city": "Town", "state": "CA",
                            "postal_code": "95000"},
        "language": "en", "paperless": paperless, "deposit_held": "0.00"}})
    await f.send("accounts.PremiseChanged", f"premise:{prem}", {"premise": {
        "id": prem, "address": {"line1": "1 Main St"}, "apn": "1", "kind": kind,
        "dwelling_units": units, "cycle": cycle, "route": route}})
    await f.send("accounts.MeterChanged", f"meter:{meter}", {"meter": {
        "id": meter, "serial": serial, "size": size, "kind": "positive_displacement",
        "dials": dials, "multiplier": multiplier, "unit": "HCF", "status": "installed",
        "premise_id": prem, "installed_at": start.isoformat(), "install_read": install_read}})
    wsa = str(uuid.uuid4())
    await f.send("accounts.ServiceStarted", f"account:{acct}", {"service_agreement": {
        "id": wsa, "account_id": acct, "premise_id": prem, "service": "water",
        "rate_class": rate_class, "meter_id": meter, "start_date": start.isoformat(),
        "stop_date": None, "status": "active"}})
    ssa = None
    if sewer:
        ssa = str(uuid.uuid4())
        await f.send("accounts.ServiceStarted", f"account:{acct}", {"service_agreement": {
            "id": ssa, "account_id": acct, "premise_id": prem, "service": "wastewater",
            "rate_class": "RES", "meter_id": meter, "start_date": start.isoformat(),
            "stop_date": None, "status": "active"}})
    await f.drain()
    return Site(acct, prem, meter, serial, wsa, ssa, cust)


async def read(client, headers, site: Site, value: str, on: str = "2026-01-31") -> Any:
    r = await client.post("/api/billing/reads", headers=headers, json={
        "meter_id": site.meter_id, "read_on": on, "value": value})
    assert r.status_code == 201, r.text
    return r.json()


async def billed_run(client, tech, sup, approver, cycle="C1", start="2026-01-01",
                     end="2026-01-31", bill_date="2026-02-02") -> Any:
    """Create, prepare (tech), approve and finalise (another supervisor) a run."""
    r = await client.post("/api/billing/runs", headers=tech, json={
        "cycle": cycle, "period_start": start, "period_end": end, "bill_date": bill_date})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    for step, h in (("prepare", tech), ("approve", sup), ("finalise", approver)):
        x = await client.post(f"/api/billing/runs/{rid}/{step}", headers=h)
        assert x.status_code == 200, x.text
    return x.json()


async def bill_id_of(client, headers, run_id: str, account_id: str) -> str:
    bills = (await client.get(f"/api/billing/runs/{run_id}/bills", headers=headers)).json()
    return str(next(b["id"] for b in bills if b["account_id"] == account_id))
