"""Collections' copy of accounts and billing data: fed only by events, the same whatever order
they arrive in, and rebuilt by replay into exactly the live copy."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from tests.collections.helpers import (
    bill_issued,
    copy_rows,
    entry_posted,
    make_account,
)


async def _aging(client, h, account_id, today):
    r = await client.get(f"/api/collections/accounts/{account_id}/aging",
                         params={"today": today}, headers=h)
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_copy_keeps_who_the_customer_is_and_where_service_is(feed, bound):
    owner = str(uuid.uuid4())
    a = await make_account(feed, name="Rosa Diaz", language="es", premise_kind="multi_family",
                           units=4, owner_account_id=owner)
    c = bound["collections"]
    acct = (await c.execute(text(
        "SELECT a.number, a.language, a.mailing->>'line1' AS mailing, cu.name, cu.phones, "
        "p.kind, p.dwelling_units, p.apn, p.owner_account_id, p.address->>'line1' AS service "
        "FROM accounts a JOIN customers cu ON cu.id = a.customer_id "
        "JOIN service_agreements sa ON sa.account_id = a.id "
        "JOIN premises p ON p.id = sa.premise_id WHERE a.id = :a"), {"a": a.id})).one()
    assert (acct.number, acct.language, acct.name, acct.phones) == (
        a.number, "es", "Rosa Diaz", ["+15305550100"])
    assert (acct.kind, acct.dwelling_units, acct.apn, str(acct.owner_account_id)) == (
        "multi_family", 4, "012-345-678", owner)
    assert (acct.mailing, acct.service) == ("PO Box 12", "12 Oak St")  # they differ


async def test_a_rebuilt_copy_equals_the_live_one(client, feed, bound, sup, csr):
    a = await make_account(feed)
    b = await make_account(feed, premise_kind="single_family", units=1)
    key = f"account:{a.id}"
    old = bill_issued(a, "80.00", "80.00", due="2026-02-20", bill_date="2026-02-01")
    await feed.send("billing.BillIssued", key, old)
    await feed.send("billing.BillCancelled", key, {
        "bill_id": old["bill"]["id"], "account_id": a.id, "reason": "rebill",
        "cancelled_on": "2026-02-10", "replaced_by": None})
    await feed.send("billing.BillIssued", key, bill_issued(
        a, "55.00", "55.00", due="2026-02-20", bill_date="2026-02-10",
        replaces=old["bill"]["id"]))
    await feed.send("billing.LedgerEntryPosted", key,
                    entry_posted(a, "payment", "-20.00", "2026-02-15", "35.00"))
    await feed.send("billing.AppealOpened", key, {
        "appeal_id": (ap := str(uuid.uuid4())), "account_id": a.id, "status": "open",
        "bill_id": old["bill"]["id"], "opened_on": "2026-02-12"})
    await feed.send("billing.AppealDecided", key, {
        "appeal_id": ap, "account_id": a.id, "status": "decided", "decision": "denied",
        "credit": "0.00"})
    await feed.send("billing.BillIssued", f"account:{b.id}", bill_issued(
        b, "42.10", "52.10", due="2026-03-01", deferral="10.00"))
    await feed.drain()
    live = await copy_rows(bound)
    aging_before = [await _aging(client, csr, x.id, "2026-04-01") for x in (a, b)]
    assert [x["balance"] for x in aging_before] == ["35.00", "52.10"]
    assert [x["billing_balance"] for x in aging_before] == ["35.00", "52.10"]

    refused = await client.post("/api/collections/copy/rebuild", json={}, headers=csr)
    assert refused.status_code == 403
    r = await client.post("/api/collections/copy/rebuild", json={"mode": "local"}, headers=sup)
    assert r.status_code == 200, r.text
    assert r.json()["events_requeued"] == 15  # 4 per account from accounts, 7 from billing
    assert (await copy_rows(bound))["accounts"] == []
    await feed.drain()
    assert await copy_rows(bound) == live
    assert [await _aging(client, csr, x.id, "2026-04-01") for x in (a, b)] == aging_before


async def test_billing_events_before_the_account_s_own_still_age_and_name_it_later(
        client, feed, csr):
    """Accounts and billing are separate sources: billing's events may come first."""
    a_id = str(uuid.uuid4())
    await feed.send("billing.BillIssued", f"account:{a_id}", {"bill": {
        "id": str(uuid.uuid4()), "account_id": a_id, "bill_date": "2026-01-05",
        "due_date": "2026-01-25", "period_start": "2025-12-01", "period_end": "2025-12-31",
        "total": "64.00", "replaces": None, "segments": []}, "balance": "64.00"})
    await feed.drain()
    early = await _aging(client, csr, a_id, "2026-03-01")
    assert early["buckets"]["days_31_60"] == "64.00"
    report = (await client.get("/api/collections/reports/aging",
                               params={"as_of": "2026-03-01"}, headers=csr)).json()
    row = next(r for r in report["rows"] if r["account_id"] == a_id)
    assert row["number"] is None
    await feed.send("accounts.AccountChanged", f"account:{a_id}", {"account": {
        "id": a_id, "number": "500000017", "customer_id": None, "status": "active"}})
    await feed.drain()
    report = (await client.get("/api/collections/reports/aging",
                               params={"as_of": "2026-03-01"}, headers=csr)).json()
    assert next(r for r in report["rows"] if r["account_id"] == a_id)["number"] == "500000017"
    assert await _aging(client, csr, a_id, "2026-03-01") == early


async def test_a_ledger_entry_delivered_before_its_bill_still_gives_the_right_aging(
        client, feed, csr):
    """The unlucky order: a payment and a late charge on the bill are applied before the
    BillIssued (a replay from a later point, a relay rewound): the aging is the same as in
    billing's order."""
    a = await make_account(feed)
    b = await make_account(feed)
    key_a, key_b = f"account:{a.id}", f"account:{b.id}"
    bill_a = bill_issued(a, "120.00", "120.00", due="2026-01-20", bill_date="2026-01-02")
    bill_b = bill_issued(b, "120.00", "120.00", due="2026-01-20", bill_date="2026-01-02")
    # a: billing's order
    await feed.send("billing.BillIssued", key_a, bill_a)
    await feed.send("billing.LedgerEntryPosted", key_a,
                    entry_posted(a, "payment", "-50.00", "2026-02-01", "70.00"))
    await feed.send("billing.LedgerEntryPosted", key_a,
                    entry_posted(a, "late_charge", "5.00", "2026-02-25", "75.00"))
    await feed.drain()
    # b: the same facts, the bill delivered last
    await feed.send("billing.LedgerEntryPosted", key_b,
                    entry_posted(b, "payment", "-50.00", "2026-02-01", "70.00"), key_seq=1)
    await feed.send("billing.LedgerEntryPosted", key_b,
                    entry_posted(b, "late_charge", "5.00", "2026-02-25", "75.00"), key_seq=2)
    await feed.drain()
    before_bill = await _aging(client, csr, b.id, "2026-04-01")
    assert (before_bill["balance"], before_bill["unapplied_credit"]) == ("-45.00", "45.00")
    await feed.send("billing.BillIssued", key_b, bill_b, key_seq=3)
    await feed.drain()
    got_a = await _aging(client, csr, a.id, "2026-04-01")
    got_b = await _aging(client, csr, b.id, "2026-04-01")
    assert got_a["buckets"] == got_b["buckets"] == {
        "current": "0.00", "days_1_30": "0.00", "days_31_60": "5.00", "days_61_90": "70.00",
        "days_91_120": "0.00", "days_over_120": "0.00"}
    assert got_a["balance"] == got_b["balance"] == "75.00"
    assert got_a["days_past_due"] == got_b["days_past_due"] == 71


async def test_a_cancellation_before_its_bill_counts_once_the_bill_arrives(client, feed, csr):
    a = await make_account(feed)
    key = f"account:{a.id}"
    old = bill_issued(a, "90.00", "90.00", due="2026-02-20", bill_date="2026-02-01")
    await feed.send("billing.BillCancelled", key, {
        "bill_id": old["bill"]["id"], "account_id": a.id, "reason": "rebill",
        "cancelled_on": "2026-02-05", "replaced_by": None}, key_seq=1)
    await feed.drain()
    assert (await _aging(client, csr, a.id, "2026-03-01"))["balance"] == "0.00"
    await feed.send("billing.BillIssued", key, old, key_seq=2)
    await feed.send("billing.BillIssued", key, bill_issued(
        a, "60.00", "60.00", due="2026-02-25", bill_date="2026-02-05"), key_seq=3)
    await feed.drain()
    got = await _aging(client, csr, a.id, "2026-03-01")
    assert (got["balance"], got["buckets"]["days_1_30"]) == ("60.00", "60.00")


async def test_a_redelivered_event_changes_nothing(client, feed, bound, csr):
    a = await make_account(feed)
    payload = entry_posted(a, "payment", "-10.00", "2026-02-01", "-10.00")
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", payload)
    await feed.send("billing.LedgerEntryPosted", f"account:{a.id}", payload)  # a new event id
    await feed.drain()
    assert (await _aging(client, csr, a.id, "2026-03-01"))["balance"] == "-10.00"
    assert (await bound["collections"].execute(text(
        "SELECT count(*) FROM ledger_entries WHERE account_id = :a"),
        {"a": a.id})).scalar_one() == 1


async def test_an_account_nobody_announced_is_not_found(client, csr):
    r = await client.get(f"/api/collections/accounts/{uuid.uuid4()}/aging", headers=csr)
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "account_id"


async def test_the_account_view_says_who_to_write_to_in_what_language_and_where(
        client, feed, csr):
    """What a shut-off notice will need: the holder's language, the mailing address, the
    premise served (an Occupant copy when it differs), whether the holder is the landlord, and
    open appeals."""
    a = await make_account(feed, language="es", premise_kind="multi_family", units=6)
    # the account owns the premise it serves (a landlord), and opens an appeal
    await feed.send("accounts.PremiseChanged", f"premise:{a.premise_id}", {"premise": {
        "id": a.premise_id, "address": {"line1": "12 Oak St", "city": "Town",
                                        "postal_code": "95000"},
        "apn": "012-345-678", "kind": "multi_family", "dwelling_units": 6,
        "owner_account_id": a.id}})
    appeal = str(uuid.uuid4())
    await feed.send("billing.AppealOpened", f"account:{a.id}", {
        "appeal_id": appeal, "account_id": a.id, "status": "open",
        "bill_id": str(uuid.uuid4()), "opened_on": "2026-02-12"})
    await feed.drain()
    r = await client.get(f"/api/collections/accounts/{a.id}", headers=csr)
    assert r.status_code == 200, r.text
    v = r.json()
    assert (v["number"], v["customer_name"], v["language"]) == (a.number, "Rosa Diaz", "es")
    assert v["mailing_address"]["line1"] == "PO Box 12" and v["phones"] == ["+15305550100"]
    [p] = v["premises"]
    assert (p["kind"], p["dwelling_units"], p["apn"], p["active"]) == (
        "multi_family", 6, "012-345-678", True)
    assert (p["mailing_differs"], p["landlord_is_customer"]) == (True, True)
    assert v["open_appeals"] == 1
    await feed.send("billing.AppealDecided", f"account:{a.id}", {
        "appeal_id": appeal, "account_id": a.id, "status": "decided", "decision": "denied",
        "credit": "0.00"})
    # the customer moves their mail to the premise: no Occupant copy needed
    await feed.send("accounts.AccountChanged", f"account:{a.id}", {"account": {
        "id": a.id, "number": a.number, "customer_id": a.customer_id, "status": "active",
        "mailing_address": {"line1": "12 OAK ST.", "city": "town",
                            "postal_code": "95000-1234"}}})
    await feed.drain()
    v = (await client.get(f"/api/collections/accounts/{a.id}", headers=csr)).json()
    assert (v["open_appeals"], v["premises"][0]["mailing_differs"]) == (0, False)
    assert v["language"] == "es"  # the account no longer says: the customer's
    missing = await client.get(f"/api/collections/accounts/{uuid.uuid4()}", headers=csr)
    assert missing.status_code == 404
