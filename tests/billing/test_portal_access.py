"""What a portal customer reads and asks of billing: their own bills (list, lines, explanation,
statement PDF), a high-bill review of their own bill, budget billing when eligible. Another
customer's ids answer 404 exactly as unknown ones, and nothing is written."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text

from tests.billing.helpers import bill_id_of, billed_run, make_site, read


async def test_a_customer_reads_and_appeals_their_own_bills_only(
        client, feed, rates, tech, sup, auth):
    mine, theirs = await make_site(feed, sewer=False), await make_site(feed, sewer=False)
    await read(client, tech, mine, "10")
    await read(client, tech, theirs, "12")
    run = await billed_run(client, tech, sup, auth("supervisor", "pat"))
    bill = await bill_id_of(client, tech, run["id"], mine.account_id)
    other = await bill_id_of(client, tech, run["id"], theirs.account_id)
    me = auth("customer", sub="c-1", accounts=(mine.account_id,))

    listed = await client.get(f"/api/billing/bills/accounts/{mine.account_id}", headers=me)
    assert [(b["id"], b["status"]) for b in listed.json()] == [(bill, "final")]
    assert (await client.get(f"/api/billing/bills/{bill}", headers=me)).status_code == 200
    assert (await client.get(f"/api/billing/bills/{bill}/explain",
                             headers=me)).json()["text"]
    pdf = await client.get(f"/api/billing/bills/{bill}/statement.pdf", headers=me)
    assert pdf.content.startswith(b"%PDF")
    for path in (f"/api/billing/bills/accounts/{theirs.account_id}",
                 f"/api/billing/bills/{other}", f"/api/billing/bills/{other}/explain",
                 f"/api/billing/bills/{other}/statement.pdf",
                 f"/api/billing/bills/{uuid.uuid4()}"):
        assert (await client.get(path, headers=me)).status_code == 404, path

    foreign = await client.post("/api/billing/appeals", headers=me,
                                json={"bill_id": other, "complaint": "not mine"})
    assert foreign.status_code == 404
    ap = await client.post("/api/billing/appeals", headers=me,
                           json={"bill_id": bill, "complaint": "Much higher than usual"})
    assert ap.status_code == 201, ap.text
    assert ap.json()["opened_by"] == "c-1"
    assert (await client.get(f"/api/billing/appeals/{ap.json()['id']}",
                             headers=me)).json()["status"] == "open"
    them = auth("customer", sub="c-2", accounts=(theirs.account_id,))
    assert (await client.get(f"/api/billing/appeals/{ap.json()['id']}",
                             headers=them)).status_code == 404
    appeals = await feed.bound["billing"].execute(text(
        "SELECT count(*) FROM appeals WHERE account_id = :a"), {"a": theirs.account_id})
    assert appeals.scalar_one() == 0
    # deciding stays with staff
    assert (await client.post(f"/api/billing/appeals/{ap.json()['id']}/decide", headers=me,
                              json={"repaired": True})).status_code == 403


async def test_budget_billing_is_offered_once_a_year_of_bills_exists_and_the_customer_enrols(
        client, feed, rates, auth):
    s, other = await make_site(feed, sewer=False), await make_site(feed, sewer=False)
    me = auth("customer", sub="c-3", accounts=(s.account_id,))
    offer = (await client.get(f"/api/billing/ledger/budget/{s.account_id}/offer",
                              headers=me)).json()
    assert (offer["eligible"], offer["reason"]) == (False,
                                                    "Budget billing needs 12 months of bills")
    refused = await client.post("/api/billing/ledger/budget", headers=me,
                                json={"account_id": s.account_id})
    assert refused.status_code == 422
    for m in range(1, 13):
        await feed.bound["billing"].execute(text(
            "INSERT INTO bills (id, run_id, account_id, period_start, period_end, status, "
            "total) VALUES (gen_random_uuid(), gen_random_uuid(), :a, :s, :e, 'final', 40)"),
            {"a": s.account_id, "s": date(2025, m, 1), "e": date(2025, m, 28)})
    offer = (await client.get(f"/api/billing/ledger/budget/{s.account_id}/offer",
                              headers=me)).json()
    assert (offer["eligible"], offer["monthly_amount"]) == (True, "40.00")
    assert (await client.get(f"/api/billing/ledger/budget/{other.account_id}/offer",
                             headers=me)).status_code == 404
    assert (await client.post("/api/billing/ledger/budget", headers=me,
                              json={"account_id": other.account_id})).status_code == 404
    enrol = await client.post("/api/billing/ledger/budget", headers=me,
                              json={"account_id": s.account_id})
    assert enrol.status_code == 201 and enrol.json()["monthly_amount"] == "40.00"
    offer = (await client.get(f"/api/billing/ledger/budget/{s.account_id}/offer",
                              headers=me)).json()
    assert (offer["eligible"], offer["enrolled"]) == (False, True)
    assert (await client.post(f"/api/billing/ledger/budget/{s.account_id}/settle",
                              headers=me)).status_code == 403
