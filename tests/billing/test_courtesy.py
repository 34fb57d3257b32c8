"""High-usage courtesy calls: the worklist of reads flagged high, with the comparison; the calls
recorded a row each; a leak check ordered in one click lands as one accounts service order."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import text

from services.billing.courtesy import domain
from tests.accounts.factories import create_meter, create_premise, install_meter, start_service
from tests.billing.helpers import make_site, read

SPAN = {"since": "2026-01-01", "through": "2026-06-30"}


async def _high(client, tech, feed, **kw):
    """A meter read monthly at 10 units, then 40 in a month: 4x the prior period."""
    site = await make_site(feed, sewer=False, **kw)
    await read(client, tech, site, "10", "2026-01-31")
    await read(client, tech, site, "20", "2026-03-02")
    flagged = await read(client, tech, site, "60", "2026-04-01")
    assert [e["code"] for e in flagged["exceptions"]] == ["high"]
    return site, flagged


async def _worklist(client, h, **params):
    r = await client.get("/api/billing/courtesy/worklist", headers=h,
                         params={**SPAN, **params})
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_read_flagged_high_is_on_the_worklist_with_its_comparison(
        client, feed, tech, rates):
    site, flagged = await _high(client, tech, feed)
    calm = await make_site(feed, sewer=False)
    await read(client, tech, calm, "10", "2026-01-31")
    await read(client, tech, calm, "21", "2026-03-02")
    items = await _worklist(client, tech)
    assert [i["read_id"] for i in items] == [flagged["id"]]
    it = items[0]
    assert (it["account_id"], it["meter_id"], it["serial"], it["premise_id"]) == (
        site.account_id, site.meter_id, site.serial, site.premise_id)
    assert it["read_on"] == "2026-04-01" and it["usage"] == "40.0000" and it["days"] == 30
    c = it["comparison"]
    assert (c["unit"], c["per_day"], c["prior_period_per_day"], c["average_per_day"]) == (
        "HCF", "1.33", "0.33", "0.33")
    assert c["last_year_per_day"] is None and c["times_last_year"] is None
    assert (c["times_prior_period"], c["times_average"]) == ("4.00", "4.00")
    assert c["flagged_against"] == "prior_period"
    assert it["status"] == "open" and it["calls"] == 0 and it["last_call"] is None
    assert it["exception_status"] == "open" and "prior period" in it["detail"]
    assert it["open_leak_alert"] is False
    assert "meter " + site.serial in it["leak_check_reason"]
    # the window and the cycle narrow it; another account's filter empties it
    assert await _worklist(client, tech, since="2026-04-02") == []
    assert await _worklist(client, tech, cycle="C9") == []
    assert await _worklist(client, tech, account_id=calm.account_id) == []


async def test_each_call_is_a_row_and_reaching_the_customer_takes_it_off_the_list(
        client, feed, tech, auth, rates):
    _, flagged = await _high(client, tech, feed)
    url = f"/api/billing/courtesy/{flagged['id']}/calls"
    r = await client.post(url, headers=tech, json={"outcome": "no_answer"})
    assert r.status_code == 201, r.text
    [todo] = await _worklist(client, tech)
    assert (todo["status"], todo["calls"], todo["last_call"]["outcome"]) == (
        "attempted", 1, "no_answer")
    csr = auth("csr1", "casey")
    r = await client.post(url, headers=csr, json={
        "outcome": "spoke_with_customer", "note": "Pool filled in March; no leak."})
    assert r.status_code == 201, r.text
    assert await _worklist(client, tech) == []
    [done] = await _worklist(client, tech, show="done")
    assert (done["status"], done["calls"]) == ("done", 2)
    assert (done["last_call"]["called_by"], done["last_call"]["note"]) == (
        "casey", "Pool filled in March; no leak.")
    calls = (await client.get(url, headers=tech)).json()
    assert [c["outcome"] for c in calls] == ["no_answer", "spoke_with_customer"]
    assert [c["called_by"] for c in calls] == ["tina", "casey"]


async def test_a_retried_call_with_the_same_idempotency_key_is_recorded_once(
        client, feed, tech, rates):
    _, flagged = await _high(client, tech, feed)
    url = f"/api/billing/courtesy/{flagged['id']}/calls"
    h = {**tech, "Idempotency-Key": "call-1"}
    a = await client.post(url, headers=h, json={"outcome": "left_message"})
    b = await client.post(url, headers=h, json={"outcome": "left_message"})
    assert a.status_code == b.status_code == 201 and a.json()["id"] == b.json()["id"]
    assert len((await client.get(url, headers=tech)).json()) == 1


async def test_bad_calls_are_refused_with_a_problem_and_write_nothing(
        client, feed, tech, auth, rates):
    site, flagged = await _high(client, tech, feed)
    url = f"/api/billing/courtesy/{flagged['id']}/calls"
    r = await client.post(url, headers=tech, json={"outcome": "leak_check_ordered"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = await client.post(url, headers=tech, json={
        "outcome": "no_answer", "service_order_id": site.meter_id})
    assert r.status_code == 422
    r = await client.post(url, headers=tech, json={"outcome": "shouted"})
    assert r.status_code == 422
    calm = await make_site(feed, sewer=False)
    ok = await read(client, tech, calm, "10", "2026-01-31")
    r = await client.post(f"/api/billing/courtesy/{ok['id']}/calls", headers=tech,
                          json={"outcome": "no_answer"})
    assert r.status_code == 404
    r = await client.post(url, headers=auth("field_tech"), json={"outcome": "no_answer"})
    assert r.status_code == 403
    r = await client.get("/api/billing/courtesy/worklist", headers=tech,
                         params={"since": "2026-05-01", "through": "2026-04-01"})
    assert r.status_code == 422
    assert (await client.get(url, headers=tech)).json() == []


async def test_a_high_read_corrected_as_a_misread_leaves_the_worklist(
        client, feed, tech, rates):
    _, flagged = await _high(client, tech, feed)
    exc = flagged["exceptions"][0]["id"]
    r = await client.post(f"/api/billing/reads/exceptions/{exc}/correct", headers=tech,
                          json={"value": "30", "reason": "digits swapped on the handheld"})
    assert r.status_code == 200, r.text
    assert await _worklist(client, tech, show="all") == []


async def test_a_high_read_accepted_as_real_stays_on_the_worklist(client, feed, tech, rates):
    _, flagged = await _high(client, tech, feed)
    exc = flagged["exceptions"][0]["id"]
    r = await client.post(f"/api/billing/reads/exceptions/{exc}/accept", headers=tech,
                          json={"reason": "photo confirms the register"})
    assert r.status_code == 200, r.text
    [it] = await _worklist(client, tech)
    assert (it["exception_status"], it["exception_resolution"]) == ("resolved", "accepted")


async def test_an_open_leak_alert_on_the_meter_shows_on_the_item(
        client, feed, tech, bound, rates):
    site, flagged = await _high(client, tech, feed)
    await bound["billing"].execute(text(
        "INSERT INTO leak_alerts (id, account_id, meter_id, kind, first_hour, last_hour, "
        "detected_on, last_seen_on, threshold_gph, min_hours, peak_gph, hours) VALUES "
        "(gen_random_uuid(), :a, :m, 'continuous', '2026-03-29 00:00Z', '2026-03-31 23:00Z', "
        "'2026-03-31', '2026-03-31', 1, 24, 9, '[]')"),
        {"a": site.account_id, "m": site.meter_id})
    [it] = await _worklist(client, tech)
    assert it["read_id"] == flagged["id"] and it["open_leak_alert"] is True


async def test_a_leak_check_ordered_from_a_call_is_one_accounts_order_recorded_on_the_call(
        client, auth, pump, tech, rates):
    """The staff app's one click: accounts' service-order route, then the call that names it."""
    csr = auth("csr2", "jordan")
    premise = await create_premise(client, csr)
    meter = await create_meter(client, tech)
    await install_meter(client, tech, meter["id"], premise["id"], on="2026-01-02", read="100")
    started = await start_service(client, csr, premise["id"], start="2026-01-02")
    await pump("accounts", "billing")
    m = meter["id"]
    for value, on in (("110", "2026-02-01"), ("120", "2026-03-03")):
        r = await client.post("/api/billing/reads", headers=tech,
                              json={"meter_id": m, "read_on": on, "value": value})
        assert r.status_code == 201, r.text
    r = await client.post("/api/billing/reads", headers=tech,
                          json={"meter_id": m, "read_on": "2026-04-02", "value": "160"})
    assert [e["code"] for e in r.json()["exceptions"]] == ["high"]
    [it] = await _worklist(client, csr)
    assert it["account_id"] == started["account"]["id"]
    order = await client.post("/api/accounts/orders", headers={**csr, "Idempotency-Key": "lc1"},
                              json={"kind": "leak_check", "premise_id": it["premise_id"],
                                    "account_id": it["account_id"], "meter_id": it["meter_id"],
                                    "scheduled_date": "2026-04-03",
                                    "reason": it["leak_check_reason"]})
    assert order.status_code == 201, order.text
    o = order.json()
    assert (o["kind"], o["meter_id"], o["reason"]) == (
        "leak_check", m, it["leak_check_reason"])
    url = f"/api/billing/courtesy/{it['read_id']}/calls"
    body = {"outcome": "leak_check_ordered", "note": "Customer hears water running",
            "service_order_id": o["id"], "service_order_number": o["number"]}
    r = await client.post(url, headers=csr, json=body)
    assert r.status_code == 201, r.text
    assert (await client.post(url, headers=csr, json=body)).status_code == 409
    [done] = await _worklist(client, csr, show="done")
    assert done["last_call"]["service_order_number"] == o["number"]
    assert done["status"] == "done"
    orders = (await client.get("/api/accounts/orders", headers=csr,
                               params={"premise_id": premise["id"]})).json()
    assert [x["kind"] for x in orders].count("leak_check") == 1


# ---- the rules (no database) -------------------------------------------------------------------

def test_flagged_against_names_the_first_basis_exceeded_in_validations_order():
    d = Decimal
    assert domain.flagged_against(domain.Bases(d(3), d(1), d(2), d(1)), d("2.5")) \
        == "prior_period"
    assert domain.flagged_against(domain.Bases(d(3), None, d(1), d(2)), d("2.5")) == "last_year"
    assert domain.flagged_against(domain.Bases(d(3), d(2), d(2), d(1)), d("2.5")) == "average"
    assert domain.flagged_against(domain.Bases(d(3), d(2), d(2), d(2)), d("2.5")) is None


@pytest.mark.parametrize(("outcomes", "status"), [
    ([], "open"), (["no_answer", "left_message"], "attempted"),
    (["no_answer", "spoke_with_customer"], "done"), (["leak_check_ordered"], "done"),
    (["wrong_number"], "attempted")])
def test_an_item_is_done_once_the_customer_is_reached_or_a_leak_check_ordered(
        outcomes, status):
    assert domain.status(outcomes) == status
    assert domain.shown(status, "todo") == (status != "done")
    assert domain.shown(status, "all")


async def test_a_high_read_judged_before_its_agreement_arrived_joins_the_worklist_when_it_does(
        client, feed, tech, rates):
    """A copy catches up: the reads of a known meter arrive before the `ServiceStarted` that
    names the account (another key, delivered later); the worklist is derived from the copy
    as it stands, so the account appears when the agreement does, not never."""
    site = await make_site(feed, sewer=False)
    # the same home a second time: everything but the agreement, which is late
    acct, prem, meter = (str(uuid.uuid4()) for _ in range(3))
    await feed.send("accounts.AccountChanged", f"account:{acct}", {"account": {
        "id": acct, "number": "900000008", "customer_id": site.customer_id, "status": "active",
        "mailing_address": {"line1": "9 Late St"}, "language": "en", "paperless": False,
        "deposit_held": "0.00"}})
    await feed.send("accounts.PremiseChanged", f"premise:{prem}", {"premise": {
        "id": prem, "address": {"line1": "9 Late St"}, "apn": "9", "kind": "single_family",
        "dwelling_units": 1, "cycle": "C1", "route": "R1"}})
    await feed.send("accounts.MeterChanged", f"meter:{meter}", {"meter": {
        "id": meter, "serial": "LATE0009", "size": "5/8", "kind": "positive_displacement",
        "dials": 4, "multiplier": "1", "unit": "HCF", "status": "installed",
        "premise_id": prem, "installed_at": "2026-01-01", "install_read": "0"}})
    await feed.drain()
    late = type(site)(acct, prem, meter, "LATE0009", "", None, site.customer_id)
    await read(client, tech, late, "10", "2026-01-31")
    await read(client, tech, late, "20", "2026-03-02")
    flagged = await read(client, tech, late, "60", "2026-04-01")
    assert "high" in [e["code"] for e in flagged["exceptions"]]
    assert await _worklist(client, tech, show="all") == []  # no account held the meter yet
    await feed.send("accounts.ServiceStarted", f"account:{acct}", {"service_agreement": {
        "id": str(uuid.uuid4()), "account_id": acct, "premise_id": prem, "service": "water",
        "rate_class": "RES", "meter_id": meter, "start_date": "2026-01-01", "stop_date": None,
        "status": "active"}})
    await feed.drain()
    [it] = await _worklist(client, tech)
    assert (it["read_id"], it["account_id"], it["account_number"]) == (
        flagged["id"], acct, "900000008")
    assert it["comparison"]["flagged_against"] == "prior_period"
