"""Billing's ledger posts collections' closed-account decisions: a balance transfer, the
agency's payments (and its fee only when the district adds it to the debt), a write-off; each
once, however often the event is delivered."""

from __future__ import annotations

import uuid

from tests.billing.helpers import make_site


async def _ledger(client, h, account_id):
    r = await client.get(f"/api/billing/ledger/accounts/{account_id}", headers=h)
    assert r.status_code == 200, r.text
    return r.json()


def _kinds(ledger):
    return sorted((e["kind"], e["amount"], e["reference"]) for e in ledger["entries"])


async def _twice(feed, type_, key, payload):
    await feed.send(type_, key, payload)
    await feed.send(type_, key, payload)  # redelivered under a new event id: a replay
    await feed.drain()


async def test_a_closed_accounts_balance_transferred_by_collections_posts_out_and_in_once(
        client, feed, tech):
    old = await make_site(feed, sewer=False, account_status="closed")
    new = await make_site(feed, sewer=False, customer_id=old.customer_id)
    tid = str(uuid.uuid4())
    await _twice(feed, "collections.BalanceTransferred", f"account:{old.account_id}", {
        "transfer_id": tid, "from_account_id": old.account_id, "to_account_id": new.account_id,
        "amount": "61.25", "transferred_on": "2026-04-01", "approved_by": "carmen"})
    a, b = await _ledger(client, tech, old.account_id), await _ledger(client, tech,
                                                                      new.account_id)
    assert _kinds(a) == [("transfer_out", "-61.25", f"ctransfer:{tid}:out")]
    assert _kinds(b) == [("transfer_in", "61.25", f"ctransfer:{tid}:in")]
    assert (a["balance"], b["balance"]) == ("-61.25", "61.25")


async def test_an_agency_payment_credits_once_and_adds_the_fee_only_when_the_policy_says(
        client, feed, tech):
    s = await make_site(feed, sewer=False, account_status="closed")
    p1, p2 = str(uuid.uuid4()), str(uuid.uuid4())
    key = f"account:{s.account_id}"
    await _twice(feed, "collections.AgencyPaymentRecorded", key, {
        "payment_id": p1, "account_id": s.account_id, "amount": "40.00", "fee": "10.00",
        "fee_added_to_debt": False, "received_on": "2026-05-02", "agency_reference": "A-1"})
    await _twice(feed, "collections.AgencyPaymentRecorded", key, {
        "payment_id": p2, "account_id": s.account_id, "amount": "20.00", "fee": "5.00",
        "fee_added_to_debt": True, "received_on": "2026-05-09", "agency_reference": "A-2"})
    led = await _ledger(client, tech, s.account_id)
    assert _kinds(led) == [("agency_payment", "-20.00", f"agency:{p2}"),
                           ("agency_payment", "-40.00", f"agency:{p1}"),
                           ("collection_fee", "5.00", f"agency-fee:{p2}")]
    assert led["balance"] == "-55.00"


async def test_a_write_off_posts_one_credit_by_its_id(client, feed, tech):
    s = await make_site(feed, sewer=False, account_status="closed")
    wid = str(uuid.uuid4())
    await _twice(feed, "collections.WrittenOff", f"account:{s.account_id}", {
        "write_off_id": wid, "account_id": s.account_id, "amount": "18.40",
        "written_off_on": "2026-06-30", "requested_by": "carmen", "approved_by": "sam",
        "reason": "uncollectable"})
    led = await _ledger(client, tech, s.account_id)
    assert _kinds(led) == [("write_off", "-18.40", f"writeoff:{wid}")]
    assert led["entries"][0]["created_by"] == "sam"
