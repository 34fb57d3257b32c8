"""The collection agency: the referral file holds what agencies ask for; the agency's payments
credit the account once, even when its file is sent twice; an account paid in full is recalled.
Write-offs wait for a supervisor who is not the requester."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

from sqlalchemy import text

from tests.collections.closed_helpers import closed_account, events, notices_of, pay
from tests.collections.test_closed import case, run


async def _referred(client, feed, sup, csr, *, owes="120.00", name="Rosa Diaz"):
    """A closed account taken through letters 1 and 2 and referred on 2026-06-04."""
    a = await closed_account(feed, owes=owes, name=name)
    for day in ("2026-04-05", "2026-05-05"):
        await run(client, sup, day)
    r = await client.post("/api/collections/agency/referrals", json={"today": "2026-06-04"},
                          headers=csr)
    assert r.status_code == 201, r.text
    return a, r.json()


async def test_the_referral_file_holds_what_agencies_ask_for(client, feed, bound, sup, csr):
    a = await closed_account(feed, owes="120.00", name="Rosa Diaz")
    await pay(feed, a, "30.00", "2026-03-20", balance="90.00")
    small = await closed_account(feed, owes="20.00")  # below the agency's 25.00 minimum
    for day in ("2026-04-05", "2026-05-05"):
        await run(client, sup, day)
    early = await client.post("/api/collections/agency/referrals",
                              json={"today": "2026-06-03"}, headers=csr)
    assert early.status_code == 422  # letter 2 + 30 days is 2026-06-04
    r = await client.post("/api/collections/agency/referrals", json={"today": "2026-06-04"},
                          headers=csr)
    assert r.status_code == 201, r.text
    ref = r.json()
    assert (ref["accounts"], ref["total"], ref["agency"]) == (1, "90.00",
                                                              "Valley Recovery Services")
    f = await client.get(f"/api/collections/agency/referrals/{ref['referral_id']}.csv",
                         headers=csr)
    assert f.status_code == 200 and f.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(f.text)))
    assert rows == [{
        "account_number": a.number, "name": "Rosa Diaz", "mailing_line1": "PO Box 12",
        "mailing_line2": "", "city": "Town", "state": "CA", "postal_code": "95000",
        "phones": "+15305550100", "emails": "rosa@example.org", "language": "es",
        "amount": "90.00", "last_payment_date": "2026-03-20", "closed_date": "2026-03-01",
        "referred_date": "2026-06-04"}]
    assert [e["amount"] for e in await events(bound, "collections.AgencyReferred")] == ["90.00"]
    assert ("agency_referral", "90.00", None) in await notices_of(bound, a.id)
    assert (await case(client, csr, small.id, "2026-06-04"))["status"] == "letters"


async def test_an_agency_payment_credits_the_account_once_even_when_the_file_is_sent_twice(
        client, feed, bound, pump, auth, sup, csr):
    a, _ = await _referred(client, feed, sup, csr)
    file = ("account,amount,commission,paid_on,reference\r\n"
            f"{a.number},40.00,,2026-07-01,VRS-1001\r\n"
            f"{a.number[:4]}-{a.number[4:]},25.50,6.00,2026-07-15,VRS-1002\r\n")
    sent = []
    for _ in range(2):
        r = await client.post("/api/collections/agency/payments/file", headers=csr,
                              files={"file": ("vrs-2026-07.csv", file.encode(), "text/csv")})
        assert r.status_code == 201, r.text
        sent.append(r.json())
    assert [(x["recorded"], x["already_recorded"]) for x in sent] == [(2, 0), (0, 2)]
    assert (sent[0]["amount"], sent[0]["fee"]) == ("65.50", "16.00")  # 25 % of 40.00 + 6.00
    recorded = await events(bound, "collections.AgencyPaymentRecorded")
    assert sorted((e["amount"], e["fee"], e["fee_added_to_debt"]) for e in recorded) == [
        ("25.50", "6.00", False), ("40.00", "10.00", False)]

    one = {"account_number": a.number, "amount": "10.00", "received_on": "2026-07-20",
           "agency_reference": "VRS-1003"}
    first = await client.post("/api/collections/agency/payments", json=one, headers=csr)
    again = await client.post("/api/collections/agency/payments", json=one, headers=csr)
    assert first.status_code == again.status_code == 201, again.text
    assert first.json()["payment_id"] == again.json()["payment_id"]
    other = await client.post("/api/collections/agency/payments",
                              json={**one, "amount": "11.00"}, headers=csr)
    assert other.status_code == 422  # a reference reused for other figures
    assert len(await events(bound, "collections.AgencyPaymentRecorded")) == 3

    tech = auth("billing_tech", "tina")
    await pump("collections", "billing")
    await pump("collections", "billing")
    led = (await client.get(f"/api/billing/ledger/accounts/{a.id}", headers=tech)).json()
    assert sorted(e["amount"] for e in led["entries"] if e["kind"] == "agency_payment") == [
        "-10.00", "-25.50", "-40.00"]
    assert not [e for e in led["entries"] if e["kind"] == "collection_fee"]  # policy: no fee


async def test_a_payments_file_with_one_wrong_line_records_nothing(client, feed, bound, sup,
                                                                   csr):
    a, _ = await _referred(client, feed, sup, csr)
    never = await closed_account(feed, owes="50.00")
    bad = ("account,amount,commission,paid_on,reference\n"
           f"{a.number},40.00,,2026-07-01,VRS-2001\n"
           f"{never.number},12.00,,2026-07-01,VRS-2002\n"
           f"{a.number},12.345,,2026-07-01,VRS-2003\n"
           f"{a.number},5.00,,2026-07-32,VRS-2004\n")
    r = await client.post("/api/collections/agency/payments/file", headers=csr,
                          files={"file": ("bad.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["line 4", "line 5"]
    r = await client.post("/api/collections/agency/payments/file", headers=csr,
                          files={"file": ("bad.csv", "\n".join(bad.splitlines()[:3]).encode(),
                                          "text/csv")})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "line 3", "message":
                                   f"account {never.number} was not referred to the agency"}]
    n = (await bound["collections"].execute(text("SELECT count(*) FROM agency_payments"))
         ).scalar_one()
    assert n == 0


async def test_an_account_paid_in_full_is_recalled_from_the_agency(client, feed, bound, sup,
                                                                   csr):
    a, ref = await _referred(client, feed, sup, csr, owes="120.00")
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", {"entry": {
        "id": "00000000-0000-0000-0000-0000000a9001", "account_id": a.id,
        "kind": "agency_payment", "amount": "-120.00", "posted_on": "2026-07-01",
        "reference": "agency:x", "corrects": None}, "balance": "0.00"})
    await feed.drain()
    r = await run(client, sup, "2026-07-02")
    assert (r["paid"], r["recalled"]) == (1, 1)
    assert await events(bound, "collections.AgencyRecalled") == [{
        "account_id": a.id, "referral_id": ref["referral_id"], "recalled_on": "2026-07-02",
        "reason": "paid"}]
    c = await case(client, csr, a.id, "2026-07-02")
    assert (c["status"], c["recalled_on"], c["next_step"]) == ("paid", "2026-07-02", "ended")
    f = await client.get("/api/collections/agency/recalls.csv",
                         params={"since": "2026-07-01", "until": "2026-07-31"}, headers=csr)
    assert list(csv.DictReader(io.StringIO(f.text))) == [{
        "account_number": a.number, "name": "Rosa Diaz", "referred_date": "2026-06-04",
        "recalled_date": "2026-07-02", "reason": "paid"}]
    assert (await run(client, sup, "2026-07-02"))["recalled"] == 0


async def test_a_write_off_waits_for_a_supervisor_who_is_not_the_requester(
        client, feed, bound, auth, sup, csr):
    pat = auth("supervisor", "pat")
    a = await closed_account(feed, owes="64.20")
    await run(client, sup, "2026-04-05")
    early = await client.post(f"/api/collections/closed/{a.id}/write-off", headers=csr,
                              json={"reason": "moved away", "today": "2026-04-06"})
    assert early.status_code == 422 and early.json()["rule"] == "closed.write_off_after_letters"
    await run(client, sup, "2026-05-05")
    h = {**sup, "Idempotency-Key": "wo-1"}
    r = await client.post(f"/api/collections/closed/{a.id}/write-off", headers=h,
                          json={"reason": "Customer deceased, no estate", "today": "2026-05-06"})
    assert r.status_code == 201, r.text
    wo = r.json()
    assert (wo["status"], wo["amount"], wo["requested_by"]) == ("pending", "64.20", "sam")
    waiting = await client.get("/api/collections/write-offs", params={"status": "pending"},
                               headers=csr)
    assert [w["write_off_id"] for w in waiting.json()] == [wo["write_off_id"]]

    url = f"/api/collections/write-offs/{wo['write_off_id']}/approve"
    own = await client.post(url, json={"today": "2026-05-07"}, headers=sup)
    assert own.status_code == 403 and "own" in own.json()["detail"]
    by_csr = await client.post(url, json={"today": "2026-05-07"}, headers=csr)
    assert by_csr.status_code == 403
    assert await events(bound, "collections.WrittenOff") == []
    ok = await client.post(url, json={"today": "2026-05-07"}, headers=pat)
    assert ok.status_code == 200, ok.text
    assert (ok.json()["status"], ok.json()["decided_by"]) == ("approved", "pat")
    assert await events(bound, "collections.WrittenOff") == [{
        "write_off_id": wo["write_off_id"], "account_id": a.id, "amount": "64.20",
        "written_off_on": "2026-05-07", "requested_by": "sam", "approved_by": "pat",
        "reason": "Customer deceased, no estate"}]
    assert (await case(client, csr, a.id, "2026-05-07"))["status"] == "written_off"
    twice = await client.post(url, json={"today": "2026-05-07"}, headers=pat)
    assert twice.status_code == 409


async def test_a_write_off_is_not_approved_once_a_payment_changed_the_balance(
        client, feed, auth, sup, csr):
    a = await closed_account(feed, owes="64.20")
    for day in ("2026-04-05", "2026-05-05"):
        await run(client, sup, day)
    r = await client.post(f"/api/collections/closed/{a.id}/write-off", headers=csr,
                          json={"reason": "uncollectable", "today": "2026-05-06"})
    await pay(feed, a, "14.20", "2026-05-07", balance="50.00")
    refused = await client.post(f"/api/collections/write-offs/{r.json()['write_off_id']}"
                                "/approve", json={"today": "2026-05-08"}, headers=sup)
    assert refused.status_code == 409 and refused.json()["balance"] == "50.00"


async def test_when_the_policy_adds_the_agencys_fee_billing_debits_it_with_the_payment(
        client, feed, bound, pump, auth, sup, csr, monkeypatch):
    from services.collections.policy import service as policy_service

    shipped = policy_service.policy()
    adds = shipped.model_copy(update={"agency": shipped.agency.model_copy(
        update={"fee_added_to_debt": True, "commission_percent": D("30")})})
    monkeypatch.setattr(policy_service, "policy", lambda: adds)
    a, _ = await _referred(client, feed, sup, csr)
    r = await client.post("/api/collections/agency/payments", headers=csr, json={
        "account_number": a.number, "amount": "50.00", "received_on": "2026-07-01",
        "agency_reference": "VRS-3001"})
    assert r.status_code == 201 and r.json()["fee"] == "15.00", r.text
    await pump("collections", "billing")
    led = (await client.get(f"/api/billing/ledger/accounts/{a.id}",
                            headers=auth("billing_tech", "tina"))).json()
    assert sorted((e["kind"], e["amount"]) for e in led["entries"]) == [
        ("agency_payment", "-50.00"), ("collection_fee", "15.00")]


async def test_a_referred_account_written_off_is_recalled_from_the_agency(
        client, feed, bound, sup, csr):
    a, ref = await _referred(client, feed, sup, csr, owes="300.00")
    r = await client.post(f"/api/collections/closed/{a.id}/write-off", headers=csr,
                          json={"reason": "Agency returned it as uncollectable",
                                "today": "2026-09-01"})
    assert r.status_code == 201, r.text
    ok = await client.post(f"/api/collections/write-offs/{r.json()['write_off_id']}/approve",
                           json={"today": "2026-09-02"}, headers=sup)
    assert ok.status_code == 200, ok.text
    assert [(e["amount"], e["approved_by"]) for e in
            await events(bound, "collections.WrittenOff")] == [("300.00", "sam")]
    assert await events(bound, "collections.AgencyRecalled") == [{
        "account_id": a.id, "referral_id": ref["referral_id"], "recalled_on": "2026-09-02",
        "reason": "written_off"}]
    c = await case(client, csr, a.id, "2026-09-02")
    assert (c["status"], c["recalled_on"]) == ("written_off", "2026-09-02")
