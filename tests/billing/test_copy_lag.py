"""Decisions billing takes on its copy of accounts' data, with the events delivered in the
unlucky order: the read (or the request) first, the accounts event it depends on after.
Each test states what the business sees once the copy has caught up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.billing.helpers import Feeder, luhn

_n = [500000000]


@dataclass
class Parts:
    """One move-in, as separate accounts events the test delivers in the order it chooses."""

    feed: Feeder
    account_id: str
    premise_id: str
    meter_id: str
    serial: str
    sa_id: str
    start: date

    async def account_and_premise(self, cycle: str = "C1") -> None:
        _n[0] += 1
        cust = str(uuid.uuid4())
        await self.feed.send("accounts.CustomerChanged", f"customer:{cust}", {"customer": {
            "id": cust, "kind": "person", "name": f"Late {_n[0]}", "emails": []}})
        await self.feed.send("accounts.AccountChanged", f"account:{self.account_id}", {
            "account": {"id": self.account_id, "number": luhn(str(_n[0])),
                        "customer_id": cust, "status": "active", "mailing_address": {},
                        "language": "en", "paperless": False, "deposit_held": "0.00"}})
        await self.feed.send("accounts.PremiseChanged", f"premise:{self.premise_id}", {
            "premise": {"id": self.premise_id, "address": {"line1": "9 Late St"}, "apn": "1",
                        "kind": "single_family", "dwelling_units": 1, "cycle": cycle,
                        "route": "R1"}})

    def meter(self, status: str, install_read: str | None = None) -> dict[str, Any]:
        installed = status == "installed"
        return {"id": self.meter_id, "serial": self.serial, "size": "5/8", "dials": 4,
                "multiplier": "1", "unit": "HCF", "status": status,
                "premise_id": self.premise_id if installed else None,
                "installed_at": self.start.isoformat() if installed else None,
                "install_read": install_read if installed else None}

    async def meter_created(self) -> None:
        await self.feed.send("accounts.MeterChanged", f"meter:{self.meter_id}",
                             {"meter": self.meter("in_stock")})

    async def meter_installed(self, install_read: str = "100") -> None:
        await self.feed.send("accounts.MeterChanged", f"meter:{self.meter_id}",
                             {"meter": self.meter("installed", install_read)})

    def sa(self, **changes: Any) -> dict[str, Any]:
        return {"id": self.sa_id, "account_id": self.account_id,
                "premise_id": self.premise_id, "service": "water", "rate_class": "RES",
                "meter_id": self.meter_id, "start_date": self.start.isoformat(),
                "stop_date": None, "status": "active", **changes}

    async def service_started(self) -> None:
        await self.feed.send("accounts.ServiceStarted", f"account:{self.account_id}",
                             {"service_agreement": self.sa()})


def parts(feed: Feeder, start: date = date(2026, 1, 1)) -> Parts:
    _n[0] += 1
    return Parts(feed, str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()),
                 f"L{_n[0]}", str(uuid.uuid4()), start)


async def post_read(client: Any, tech: dict[str, str], p: Parts, value: str,
                    on: str = "2026-01-31") -> Any:
    r = await client.post("/api/billing/reads", headers=tech, json={
        "meter_id": p.meter_id, "read_on": on, "value": value})
    assert r.status_code == 201, r.text
    return r.json()


async def bill_of(client: Any, tech: dict[str, str], p: Parts, cycle: str = "C1") -> Any:
    run = await client.post("/api/billing/runs", headers=tech, json={
        "cycle": cycle, "period_start": "2026-01-01", "period_end": "2026-01-31"})
    assert run.status_code == 201, run.text
    bills = (await client.get(f"/api/billing/runs/{run.json()['id']}/bills",
                              headers=tech)).json()
    return run.json(), next(b for b in bills if b["account_id"] == p.account_id)


# RES water: 20.00 fixed + 10 x 3.00 + 2 x 4.00 = 58.00 for 12 HCF.
WATER_12 = "58.00"


async def test_a_read_posted_before_billing_hears_of_the_installation_bills_the_water_used(
        client, feed, tech, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.meter_created()
    await feed.drain()
    await post_read(client, tech, p, "112")
    await p.meter_installed("100")
    await p.service_started()
    await feed.drain()
    _, bill = await bill_of(client, tech, p)
    assert (bill["total"], bill["flags"]) == (WATER_12, [])


async def test_a_read_posted_before_billing_hears_of_the_service_start_bills_the_water_used(
        client, feed, tech, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.meter_installed("100")
    await feed.drain()
    await post_read(client, tech, p, "112")
    await p.service_started()
    await feed.drain()
    _, bill = await bill_of(client, tech, p)
    assert (bill["total"], bill["flags"]) == (WATER_12, [])


async def test_a_read_for_a_meter_billing_has_not_heard_of_waits_visibly_and_then_bills(
        client, feed, tech, rates):
    p = parts(feed)
    held = await post_read(client, tech, p, "112")
    assert held["status"] == "pending"
    assert [x["code"] for x in held["exceptions"]] == ["awaiting_copy"]
    work = (await client.get("/api/billing/reads/exceptions/worklist", headers=tech)).json()
    item = next(w for w in work if w["read_id"] == held["id"])
    assert (item["code"], item["serial"]) == ("awaiting_copy", None)
    # Nobody accepts, estimates or corrects a read the copy has not judged yet.
    for action, body in (("accept", {"reason": "looks fine"}),
                         ("estimate", {"reason": "estimate"}),
                         ("correct", {"value": "112", "reason": "typo"}),
                         ("reread", {"reason": "check"})):
        r = await client.post(f"/api/billing/reads/exceptions/{item['id']}/{action}",
                              headers=tech, json=body)
        assert r.status_code == 409, (action, r.text)
    await p.account_and_premise()
    await p.meter_installed("100")
    await p.service_started()
    await feed.drain()
    judged = (await client.get(f"/api/billing/reads/{held['id']}", headers=tech)).json()
    assert (judged["status"], judged["usage"]) == ("valid", "12.0000")
    assert {x["status"] for x in judged["exceptions"]} == {"resolved"}
    _, bill = await bill_of(client, tech, p)
    assert (bill["total"], bill["flags"]) == (WATER_12, [])


async def test_a_run_holds_back_an_account_whose_read_waits_for_the_copy_and_bills_it_later(
        client, feed, tech, sup, auth, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.meter_created()
    await p.service_started()
    await feed.drain()
    await post_read(client, tech, p, "112")
    run, bill = await bill_of(client, tech, p)
    assert (bill["status"], bill["flags"]) == ("discarded", ["awaiting_copy"])
    assert (run["held_for_copy"], run["held"], run["flags"]) == (1, 1, {})
    listed = (await client.get("/api/billing/runs", headers=tech)).json()
    assert next(r for r in listed if r["id"] == run["id"])["held_for_copy"] == 1
    await p.meter_installed("100")
    await feed.drain()
    again = (await client.post(f"/api/billing/runs/{run['id']}/recalculate",
                               headers=tech)).json()
    assert (again["held_for_copy"], again["total"]) == (0, WATER_12)


async def test_a_read_judged_before_billing_hears_of_the_service_stop_loses_its_zero_use(
        client, feed, tech, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.meter_installed("100")
    await p.service_started()
    await feed.drain()
    read = await post_read(client, tech, p, "100", on="2026-01-20")
    assert [x["code"] for x in read["exceptions"]] == ["zero_use"]
    await feed.send("accounts.ServiceStopped", f"account:{p.account_id}", {
        "service_agreement": p.sa(stop_date="2026-01-10", status="stopped")})
    await feed.drain()
    judged = (await client.get(f"/api/billing/reads/{read['id']}", headers=tech)).json()
    assert judged["status"] == "valid"
    assert [(x["code"], x["status"]) for x in judged["exceptions"]] == [
        ("zero_use", "resolved")]


async def test_a_persons_decision_on_a_read_stands_when_the_copy_catches_up(
        client, feed, tech, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.meter_installed("100")
    await feed.drain()
    read = await post_read(client, tech, p, "112")
    exc = read["exceptions"][0]
    assert exc["code"] == "use_on_inactive"
    r = await client.post(f"/api/billing/reads/exceptions/{exc['id']}/accept", headers=tech,
                          json={"reason": "builder's water, confirmed"})
    assert r.json()["status"] == "valid"
    # The agreement then starts after the read: the read is still use on an inactive
    # agreement, which a person accepted; it is not reopened.
    await feed.send("accounts.ServiceStarted", f"account:{p.account_id}", {
        "service_agreement": p.sa(start_date="2026-02-01")})
    await feed.drain()
    judged = (await client.get(f"/api/billing/reads/{read['id']}", headers=tech)).json()
    assert judged["status"] == "valid"
    assert [(x["code"], x["status"]) for x in judged["exceptions"]] == [
        ("use_on_inactive", "resolved")]
