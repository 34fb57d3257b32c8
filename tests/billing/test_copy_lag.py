"""Decisions billing takes on its copy of accounts' data, with the events delivered in the
unlucky order: the read (or the request) first, the accounts event it depends on after.
Each test states what the business sees once the copy has caught up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from tests.billing.helpers import Feeder, billed_run, luhn


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "sue")

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


async def test_a_field_read_for_a_meter_billing_has_not_heard_of_is_kept_and_judged_later(
        client, feed, tech, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.service_started()
    await feed.send("accounts.ServiceOrderCompleted", f"account:{p.account_id}", {
        "service_order": {"id": str(uuid.uuid4()), "kind": "turn_on", "status": "completed",
                          "account_id": p.account_id, "premise_id": p.premise_id,
                          "meter_id": p.meter_id, "completed_at": "2026-01-31T18:00:00Z",
                          "read": {"meter_id": p.meter_id, "value": "112",
                                   "read_at": "2026-01-31T18:00:00Z"}, "reference": None}})
    await feed.drain()
    held = (await feed.bound["billing"].execute(text(
        "SELECT r.status, e.code FROM reads r JOIN read_exceptions e ON e.read_id = r.id "
        "WHERE r.meter_id = :m"), {"m": p.meter_id})).all()
    assert [(r.status, r.code) for r in held] == [("pending", "awaiting_copy")]
    await p.meter_installed("100")
    await feed.drain()
    _, bill = await bill_of(client, tech, p)
    assert (bill["total"], bill["flags"]) == (WATER_12, [])


async def _retry_later(feed: Feeder) -> None:
    """The inbox's backoff passes (the test's transaction keeps now() still, so the waiting
    event and its key are made due, as the clock would), then billing applies its inbox."""
    await feed.bound["billing"].execute(text(
        "UPDATE inbox SET next_attempt_at = now() WHERE status = 'pending'"))
    await feed.bound["billing"].execute(text("UPDATE inbox_progress SET blocked_until = NULL"))
    await feed.drain()


async def test_a_closing_bill_waits_for_the_final_reads_meter_and_then_bills_its_use(
        client, feed, tech, sup, sup2, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.meter_installed("100")
    await p.service_started()
    await feed.drain()
    await post_read(client, tech, p, "105")
    await billed_run(client, tech, sup, sup2)
    # The meter is exchanged; the final read is on the new meter, whose installation billing
    # has not heard of when the closing request arrives.
    new_meter = str(uuid.uuid4())
    await feed.send("accounts.ServiceStopped", f"account:{p.account_id}", {
        "service_agreement": p.sa(meter_id=new_meter, stop_date="2026-02-14",
                                  status="stopped")})
    closing = await feed.send("accounts.ClosingBillRequested", f"account:{p.account_id}", {
        "account_id": p.account_id, "service_agreement_ids": [p.sa_id],
        "final_reads": [{"meter_id": new_meter, "value": "7",
                         "read_at": "2026-02-14T20:00:00Z"}], "stop_date": "2026-02-14"})
    await feed.drain()
    waiting = (await feed.bound["billing"].execute(text(
        "SELECT status, last_error FROM inbox WHERE event_id = :e"), {"e": closing})).one()
    assert waiting.status == "pending" and "has not heard of this meter" in waiting.last_error
    await feed.send("accounts.MeterChanged", f"meter:{new_meter}", {"meter": {
        **p.meter("installed", "0"), "id": new_meter, "serial": f"X{p.serial}",
        "installed_at": "2026-02-01"}})
    await feed.drain()
    await _retry_later(feed)
    run = (await feed.bound["billing"].execute(text(
        "SELECT id FROM bill_runs WHERE kind = 'closing' AND account_id = :a"),
        {"a": p.account_id})).one()
    out = (await client.get(f"/api/billing/runs/{run.id}", headers=tech)).json()
    # 1-14 February: 20.00 fixed x 14/14 of the period + 7 HCF x 3.00 = 41.00
    assert (out["bills"], out["total"], out["flags"]) == (1, "41.00", {})


async def test_a_closing_bill_waits_for_agreements_a_transfer_announced_on_another_key(
        client, feed, tech, rates):
    old, new = parts(feed), parts(feed)
    await old.account_and_premise()
    await new.account_and_premise()
    await old.meter_installed("100")
    await old.service_started()
    await feed.drain()
    # The transfer (keyed by the old account) starts the SA on the new account; the new
    # account's closing request overtakes it.
    moved = {**old.sa(), "id": new.sa_id, "account_id": new.account_id,
             "start_date": "2026-01-01", "stop_date": "2026-01-25", "status": "stopped"}
    closing = await feed.send("accounts.ClosingBillRequested", f"account:{new.account_id}", {
        "account_id": new.account_id, "service_agreement_ids": [new.sa_id],
        "final_reads": [], "stop_date": "2026-01-25"})
    await feed.drain()
    assert "has not heard of service agreement" in (await feed.bound["billing"].execute(text(
        "SELECT last_error FROM inbox WHERE event_id = :e"), {"e": closing})).scalar_one()
    await feed.send("accounts.ServiceTransferred", f"account:{old.account_id}", {
        "stopped": [old.sa(stop_date="2025-12-31", status="stopped")], "started": [moved]})
    await feed.drain()
    await _retry_later(feed)
    runs = (await client.get("/api/billing/runs", headers=tech, params={
        "kind": "closing", "account_id": new.account_id})).json()
    assert [(r["period_start"], r["period_end"], r["bills"]) for r in runs] == [
        ("2026-01-01", "2026-01-25", 1)]


async def test_a_bill_calculated_before_billing_heard_of_the_stop_is_rebilled_to_the_stop(
        client, feed, tech, sup, sup2, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.meter_installed("100")
    await p.service_started()
    await feed.drain()
    await post_read(client, tech, p, "105", on="2026-01-10")
    run = await billed_run(client, tech, sup, sup2)
    # The customer had moved out on 20 January; billing hears of it after the run.
    await feed.send("accounts.ServiceStopped", f"account:{p.account_id}", {
        "service_agreement": p.sa(stop_date="2026-01-20", status="stopped")})
    await feed.send("accounts.ClosingBillRequested", f"account:{p.account_id}", {
        "account_id": p.account_id, "service_agreement_ids": [p.sa_id],
        "final_reads": [{"meter_id": p.meter_id, "value": "108",
                         "read_at": "2026-01-20T20:00:00Z"}], "stop_date": "2026-01-20"})
    await feed.drain()
    runs = (await client.get("/api/billing/runs", headers=tech, params={
        "account_id": p.account_id})).json()
    rebill = next(r for r in runs if r["kind"] == "rebill")
    replaced = (await feed.bound["billing"].execute(text(
        "SELECT replaces_bill FROM bill_runs WHERE id = :r"), {"r": rebill["id"]})).scalar_one()
    old_bill = (await feed.bound["billing"].execute(text(
        "SELECT id, total FROM bills WHERE run_id = :r"), {"r": run["id"]})).one()
    assert replaced == old_bill.id
    ends = (await feed.bound["billing"].execute(text(
        "SELECT DISTINCT l.seg_end FROM bill_lines l JOIN bills b ON b.id = l.bill_id "
        "WHERE b.run_id = :r"), {"r": rebill["id"]})).scalars().all()
    assert ends == [date(2026, 1, 20)]
    # 20.00 x 20/31 = 12.90 fixed; 8 HCF: 6.4516 (tier 1 prorated to 20/31) x 3.00 = 19.35
    # and 1.5484 x 4.00 = 6.19
    assert (rebill["total"], str(old_bill.total)) == ("38.44", "35.00")
    assert not [r for r in runs if r["kind"] == "closing"]


async def test_an_account_billing_heard_of_after_its_cycle_run_was_calculated_is_billed(
        client, feed, tech, sup, sup2, rates):
    early, late, later = parts(feed), parts(feed), parts(feed)
    for p in (early, late, later):
        await p.account_and_premise(cycle="C9")
        await p.meter_installed("100")
    await early.service_started()
    await feed.drain()
    for p in (early, late, later):
        await post_read(client, tech, p, "112")
    created = await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C9", "period_start": "2026-01-01", "period_end": "2026-01-31"})
    run = created.json()
    assert run["bills"] == 1
    await late.service_started()  # arrives between calculation and finalisation
    await feed.drain()
    for step, h in (("prepare", tech), ("approve", sup), ("finalise", sup2)):
        assert (await client.post(f"/api/billing/runs/{run['id']}/{step}",
                                  headers=h)).status_code == 200
    await later.service_started()  # arrives after finalisation
    await feed.drain()
    nxt = await client.post("/api/billing/runs", headers=tech, json={
        "cycle": "C9", "period_start": "2026-02-01", "period_end": "2026-02-28"})
    assert nxt.status_code == 201, nxt.text
    for p in (late, later):
        runs = (await client.get("/api/billing/runs", headers=tech, params={
            "kind": "account", "account_id": p.account_id})).json()
        assert [(r["period_start"], r["period_end"], r["total"], r["status"])
                for r in runs] == [("2026-01-01", "2026-01-31", WATER_12, "preview")]


async def test_a_route_file_read_for_a_serial_billing_has_not_heard_of_is_kept_and_billed(
        client, feed, tech, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.service_started()  # names the meter; its installation has not arrived
    await feed.drain()
    csv = f"meter_serial,read_date,reading\n{p.serial},2026-01-31,112\n"
    r = await client.post("/api/billing/reads/imports/handheld", headers=tech,
                          files={"file": ("route.csv", csv.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    assert (r.json()["accepted"], r.json()["awaiting_copy"], r.json()["errors"]) == (1, 1, [])
    kept = (await client.get("/api/billing/reads/awaiting-meter", headers=tech)).json()
    assert [(k["serial"], k["value"]) for k in kept] == [(p.serial, "112.0000")]
    run, bill = await bill_of(client, tech, p)
    assert (bill["status"], bill["flags"], run["held_for_copy"]) == (
        "discarded", ["awaiting_copy"], 1)
    await client.post(f"/api/billing/runs/{run['id']}/discard", headers=tech)
    await p.meter_created()
    await p.meter_installed("100")
    await feed.drain()
    assert (await client.get("/api/billing/reads/awaiting-meter", headers=tech)).json() == []
    _, bill = await bill_of(client, tech, p)
    assert (bill["total"], bill["flags"]) == (WATER_12, [])


async def test_an_ami_register_for_a_serial_billing_has_not_heard_of_is_kept_and_billed(
        client, feed, tech, rates):
    p = parts(feed)
    await p.account_and_premise()
    await p.service_started()
    await feed.drain()
    rows = "".join(f"{p.serial},2026-01-31T{h:02d}:00:00,0.5,{100 + (h + 1) // 2}\n"
                   for h in range(23, 24))
    r = await client.post("/api/billing/reads/imports/ami", headers=tech, files={
        "file": ("ami.csv", ("meter_serial,interval_start,usage,register\n" + rows).encode(),
                 "text/csv")})
    assert r.status_code == 200, r.text
    assert (r.json()["awaiting_copy"], r.json()["rejected"]) == (1, 1)
    await p.meter_created()
    await p.meter_installed("100")
    await feed.drain()
    _, bill = await bill_of(client, tech, p)
    assert (bill["total"], bill["flags"]) == (WATER_12, [])
