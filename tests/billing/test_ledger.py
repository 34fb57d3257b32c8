"""The receivable: bills, payments, adjustments within and above authority, transfers,
cancel-and-rebill, appeals with leak credits, closing bills, reconciliation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tests.billing.helpers import bill_id_of, billed_run, make_site, read


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "pat")


async def _ledger(client, h, account_id):
    return (await client.get(f"/api/billing/ledger/accounts/{account_id}", headers=h)).json()


async def test_payment_event_reduces_balance_oldest_first_and_return_reverses_it(
        client, feed, rates, tech, sup, sup2):
    s = await make_site(feed, sewer=False)
    await read(client, tech, s, "10")
    await billed_run(client, tech, sup, sup2)  # 20 + 30 = 50.00
    await feed.send("payments.PaymentPosted", f"account:{s.account_id}", {"payment": {
        "id": "pay-1", "account_id": s.account_id, "amount": "30.00",
        "received_on": "2026-02-10"}})
    await feed.drain()
    led = await _ledger(client, tech, s.account_id)
    assert led["balance"] == "20.00"
    assert sum(float(v) for v in led["aging"].values()) == 20.0
    await feed.send("payments.PaymentReturned", f"account:{s.account_id}", {
        "payment_id": "pay-1", "account_id": s.account_id, "amount": "30.00",
        "date": "2026-02-15"})
    await feed.drain()
    led = await _ledger(client, tech, s.account_id)
    assert led["balance"] == "50.00"
    rev = led["entries"][-1]
    assert rev["kind"] == "payment_reversal" and rev["corrects"] == led["entries"][1]["id"]


async def test_adjustment_within_authority_posts_above_waits_for_another_approver(
        client, feed, tech, auth):
    s = await make_site(feed, sewer=False)
    csr = auth("csr1", "carla")
    small = await client.post("/api/billing/adjustments", headers=csr, json={
        "account_id": s.account_id, "amount": "-25.00", "reason_code": "courtesy",
        "reason": "long wait"})
    assert small.status_code == 201 and small.json()["status"] == "posted"
    big = (await client.post("/api/billing/adjustments", headers=csr, json={
        "account_id": s.account_id, "amount": "-250.00", "reason_code": "billing_error",
        "reason": "double billed"})).json()
    assert big["status"] == "pending"
    own = await client.post(f"/api/billing/adjustments/{big['id']}/approve", headers=csr)
    assert own.status_code == 403
    weak = await client.post(f"/api/billing/adjustments/{big['id']}/approve", headers=tech)
    assert weak.status_code == 403  # billing_tech authority is 100
    ok = await client.post(f"/api/billing/adjustments/{big['id']}/approve",
                           headers=auth("supervisor", "sam"))
    assert ok.json()["status"] == "posted" and ok.json()["approved_by"] == "sam"
    assert ok.json()["requested_by"] == "carla"
    assert (await _ledger(client, tech, s.account_id))["balance"] == "-275.00"
    bad = await client.post("/api/billing/adjustments", headers=csr, json={
        "account_id": s.account_id, "amount": "0", "reason_code": "other", "reason": "x"})
    assert bad.status_code == 422
    bad = await client.post("/api/billing/adjustments", headers=csr, json={
        "account_id": s.account_id, "amount": "1.005", "reason_code": "other", "reason": "x"})
    assert bad.status_code == 422
    bad = await client.post("/api/billing/adjustments", headers=csr, json={
        "account_id": s.account_id, "amount": "1", "reason_code": "whim", "reason": "x"})
    assert bad.status_code == 422


async def test_ledger_is_append_only_for_the_service(feed, bound):
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError):
        async with bound["billing"].begin_nested():
            await bound["billing"].execute(text("UPDATE ledger_entries SET amount = 0"))


async def test_closed_account_balance_moves_to_the_customers_active_account(
        client, feed, tech, auth):
    old = await make_site(feed, sewer=False, account_status="closed")
    new = await make_site(feed, sewer=False, customer_id=old.customer_id)
    other = await make_site(feed, sewer=False)
    await client.post("/api/billing/adjustments", headers=tech, json={
        "account_id": old.account_id, "amount": "42.10", "reason_code": "other",
        "reason": "final charges"})
    wrong = await client.post("/api/billing/ledger/transfers", headers=tech, json={
        "from_account_id": old.account_id, "to_account_id": other.account_id, "reason": "x"})
    assert wrong.status_code == 422
    r = await client.post("/api/billing/ledger/transfers", headers=tech, json={
        "from_account_id": old.account_id, "to_account_id": new.account_id,
        "reason": "move-out balance"})
    assert r.status_code == 201 and r.json()["amount"] == "42.10"
    assert (await _ledger(client, tech, old.account_id))["balance"] == "0.00"
    assert (await _ledger(client, tech, new.account_id))["balance"] == "42.10"


async def test_cancel_and_rebill_reverses_the_old_bill_and_issues_a_new_one(
        client, feed, rates, tech, sup, sup2):
    s = await make_site(feed, sewer=False)
    first = await read(client, tech, s, "30")  # misread: really 12
    run = await billed_run(client, tech, sup, sup2)
    old = await bill_id_of(client, tech, run["id"], s.account_id)
    assert (await _ledger(client, tech, s.account_id))["balance"] == "145.00"
    # correct the read: a new read replaces it
    await feed.bound["billing"].execute(text(
        "UPDATE reads SET status = 'rejected' WHERE id = :r"), {"r": first["id"]})
    await read(client, tech, s, "12", on="2026-01-30")
    rb = await client.post(f"/api/billing/runs/rebill/{old}", headers=tech,
                           json={"reason": "misread"})
    assert rb.status_code == 201, rb.text
    assert (rb.json()["kind"], rb.json()["total"]) == ("rebill", "58.00")  # 20 + 30 + 8
    for step, h in (("prepare", tech), ("approve", sup), ("finalise", sup2)):
        assert (await client.post(f"/api/billing/runs/{rb.json()['id']}/{step}",
                                  headers=h)).status_code == 200
    led = await _ledger(client, tech, s.account_id)
    assert [(e["kind"], e["amount"]) for e in led["entries"]] == [
        ("bill", "145.00"), ("bill_cancel", "-145.00"), ("bill", "58.00")]
    assert led["entries"][1]["corrects"] == led["entries"][0]["id"]
    assert led["balance"] == "58.00"
    old_bill = (await client.get(f"/api/billing/bills/{old}", headers=tech)).json()
    assert old_bill["status"] == "cancelled" and old_bill["replaced_by"]
    again = await client.post(f"/api/billing/runs/rebill/{old}", headers=tech,
                              json={"reason": "again"})
    assert again.status_code == 409
    types = (await feed.bound["billing"].execute(text(
        "SELECT type FROM outbox WHERE key = :k ORDER BY key_seq"),
        {"k": f"account:{s.account_id}"})).scalars().all()
    assert types == ["billing.BillIssued", "billing.BillCancelled", "billing.BillIssued"]
    payloads = (await feed.bound["billing"].execute(text(
        "SELECT payload FROM outbox WHERE key = :k ORDER BY key_seq"),
        {"k": f"account:{s.account_id}"})).scalars().all()
    cancel_entry = next(e for e in led["entries"] if e["kind"] == "bill_cancel")
    assert payloads[1]["cancelled_on"] == cancel_entry["posted_on"]  # dated as the ledger
    assert payloads[0]["budget_deferral"] is None  # not on budget billing
    rec = (await client.get("/api/billing/ledger/reconciliation", headers=tech)).json()
    assert rec["ok"] is True


async def test_appeal_credits_half_the_charge_on_use_above_normal_once_a_year(
        client, feed, rates, tech, sup, sup2):
    s = await make_site(feed, sewer=False)
    await read(client, tech, s, "10")
    await billed_run(client, tech, sup, sup2)                       # normal: 10
    r = await read(client, tech, s, "40", on="2026-02-28")          # 30: a leak
    if r["exceptions"]:
        await client.post(f"/api/billing/reads/exceptions/{r['exceptions'][0]['id']}/accept",
                          headers=tech, json={"reason": "leak confirmed"})
    run2 = await billed_run(client, tech, sup, sup2, start="2026-02-01", end="2026-02-28",
                            bill_date="2026-03-02")
    bill = await bill_id_of(client, tech, run2["id"], s.account_id)
    ap = await client.post("/api/billing/appeals", headers=tech,
                           json={"bill_id": bill, "complaint": "leak under the slab"})
    assert ap.status_code == 201, ap.text
    dup = await client.post("/api/billing/appeals", headers=tech,
                            json={"bill_id": bill, "complaint": "again"})
    assert dup.status_code == 409
    inv = await client.post(f"/api/billing/appeals/{ap.json()['id']}/investigate",
                            headers=tech)
    assert inv.json()["status"] == "investigating"
    dec = await client.post(f"/api/billing/appeals/{ap.json()['id']}/decide", headers=tech,
                            json={"repaired": True})
    body = dec.json()
    # 20 above normal: 10 in tier 3 x 5.50 + 10 in tier 2 x 4.00 = 95.00 -> half 47.50
    assert (body["decision"], body["credit"]) == ("credit", "47.50")
    assert "$47.50" in body["letter"]
    led = await _ledger(client, tech, s.account_id)
    assert led["entries"][-1]["kind"] == "leak_credit"
    assert led["entries"][-1]["amount"] == "-47.50"
    second = await client.post("/api/billing/appeals", headers=tech,
                               json={"bill_id": bill, "complaint": "another"})
    dec2 = await client.post(f"/api/billing/appeals/{second.json()['id']}/decide",
                             headers=tech, json={"repaired": True})
    assert dec2.json()["decision"] == "denied" and dec2.json()["credit"] == "0.00"


async def test_closing_bill_request_opens_a_prorated_one_account_run(
        client, feed, rates, tech, sup, sup2):
    s = await make_site(feed, sewer=False)
    await read(client, tech, s, "10")
    await billed_run(client, tech, sup, sup2)
    await feed.send("accounts.ServiceStopped", f"account:{s.account_id}", {
        "service_agreement": {"id": s.water_sa, "account_id": s.account_id,
                              "premise_id": s.premise_id, "service": "water",
                              "rate_class": "RES", "meter_id": s.meter_id,
                              "start_date": "2026-01-01", "stop_date": "2026-02-14",
                              "status": "stopped"}})
    await feed.send("accounts.ClosingBillRequested", f"account:{s.account_id}", {
        "account_id": s.account_id, "service_agreement_ids": [s.water_sa],
        "final_reads": [{"meter_id": s.meter_id, "value": "15",
                         "read_at": "2026-02-14T20:00:00Z"}], "stop_date": "2026-02-14"})
    await feed.drain()
    run = (await feed.bound["billing"].execute(text(
        "SELECT id, period_start, period_end FROM bill_runs WHERE kind = 'closing'"))).one()
    assert (run.period_start, run.period_end) == (date(2026, 2, 1), date(2026, 2, 14))
    out = (await client.get(f"/api/billing/runs/{run.id}", headers=tech)).json()
    # 14 days: fixed 20 x 14/14... period is the 14 days itself: 20.00 + 5 x 3.00 = 35.00
    assert (out["bills"], out["total"]) == (1, "35.00")


async def test_copy_rebuild_replays_accounts_events_and_check_matches(
        client, feed, auth):
    await make_site(feed)
    admin = auth("admin")
    before = (await client.get("/api/billing/copy/check", headers=admin)).json()
    r = await client.post("/api/billing/copy/rebuild", headers=admin, json={"mode": "local"})
    assert r.status_code == 200 and r.json()["events_requeued"] > 0
    empty = (await client.get("/api/billing/copy/check", headers=admin)).json()
    assert all(t["rows"] == 0 for t in empty["tables"])
    await feed.drain()
    after = (await client.get("/api/billing/copy/check", headers=admin)).json()
    assert after == before


async def test_budget_billing_bills_the_average_and_trues_up_the_difference(
        client, feed, rates, tech, sup, sup2):
    s = await make_site(feed, sewer=False)
    short = await client.post("/api/billing/ledger/budget", headers=tech,
                              json={"account_id": s.account_id})
    assert short.status_code == 422
    for m in range(1, 13):  # a year of history: 11 bills of 40.00 and one of 70.00
        await feed.bound["billing"].execute(text(
            "INSERT INTO bills (id, run_id, account_id, period_start, period_end, status, "
            "total) VALUES (gen_random_uuid(), gen_random_uuid(), :a, :s, :e, 'final', :t)"),
            {"a": s.account_id, "s": date(2025, m, 1), "e": date(2025, m, 28),
             "t": 70 if m == 7 else 40})
    enrol = await client.post("/api/billing/ledger/budget", headers=tech,
                              json={"account_id": s.account_id})
    assert enrol.status_code == 201 and enrol.json()["monthly_amount"] == "42.50"
    await read(client, tech, s, "10")                           # actual bill 50.00
    await billed_run(client, tech, sup, sup2)
    led = await _ledger(client, tech, s.account_id)
    assert [(e["kind"], e["amount"]) for e in led["entries"]] == [
        ("bill", "50.00"), ("budget_deferral", "-7.50")]
    assert led["balance"] == "42.50"
    plan = (await client.get(f"/api/billing/ledger/budget/{s.account_id}",
                             headers=tech)).json()
    assert plan["deferred"] == "7.50"
    settle = await client.post(f"/api/billing/ledger/budget/{s.account_id}/settle",
                               headers=tech)
    assert settle.json()["settled"] == "7.50" and settle.json()["balance"] == "50.00"


async def test_bill_issued_carries_the_balance_after_the_bill_its_deferral_and_earlier_entries(
        client, feed, rates, tech, sup, sup2):
    s = await make_site(feed, sewer=False)
    for m in range(1, 13):  # a year of 40.00 bills: budget 40.00
        await feed.bound["billing"].execute(text(
            "INSERT INTO bills (id, run_id, account_id, period_start, period_end, status, "
            "total) VALUES (gen_random_uuid(), gen_random_uuid(), :a, :s, :e, 'final', 40)"),
            {"a": s.account_id, "s": date(2025, m, 1), "e": date(2025, m, 28)})
    assert (await client.post("/api/billing/ledger/budget", headers=tech,
                              json={"account_id": s.account_id})).status_code == 201
    await feed.send("payments.PaymentPosted", f"account:{s.account_id}", {"payment": {
        "id": "pay-early", "account_id": s.account_id, "amount": "15.00",
        "received_on": "2026-01-10"}})
    await feed.drain()
    await read(client, tech, s, "10")                           # actual bill 50.00
    await billed_run(client, tech, sup, sup2)
    issued = (await feed.bound["billing"].execute(text(
        "SELECT payload FROM outbox WHERE type = 'billing.BillIssued'"))).scalar_one()
    assert issued["bill"]["total"] == "50.00"
    assert issued["balance"] == "25.00"  # -15.00 + 50.00 - 10.00 deferred
    assert issued["budget_deferral"] == "-10.00"  # collections ages it with the bill
    assert (await _ledger(client, tech, s.account_id))["balance"] == "25.00"
