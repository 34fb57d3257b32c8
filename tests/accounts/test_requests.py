"""Service requests from the portal: a customer files one for their own account, staff see it
in their list and work it, the customer reads its status; another customer's ids answer 404."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.accounts.factories import audits, metered_premise, start_service

ADDRESS = {"line1": "12 Vacant Way", "city": "Riverton", "state": "CA", "postal_code": "95000"}


async def _account(client, auth) -> str:
    premise, _ = await metered_premise(client, auth)
    return str((await start_service(client, auth("csr1"), premise["id"]))["account"]["id"])


async def test_a_move_in_request_lands_in_staffs_list_and_the_customer_sees_it_done(
        client, auth, bound):
    account_id = await _account(client, auth)
    me = auth("customer", sub="cust-1", accounts=(account_id,))
    day = (date.today() + timedelta(days=7)).isoformat()
    filed = await client.post(f"/api/accounts/requests/accounts/{account_id}", headers={
        **me, "Idempotency-Key": "req-1"}, json={
        "kind": "start", "preferred_date": day, "address": ADDRESS, "message": "Moving in"})
    assert filed.status_code == 201, filed.text
    again = await client.post(f"/api/accounts/requests/accounts/{account_id}", headers={
        **me, "Idempotency-Key": "req-1"}, json={
        "kind": "start", "preferred_date": day, "address": ADDRESS, "message": "Moving in"})
    assert again.json()["id"] == filed.json()["id"]
    request_id = filed.json()["id"]
    assert filed.json()["status"] == "received"

    listed = await client.get("/api/accounts/requests", headers=auth("csr1"))
    assert [r["id"] for r in listed.json()].count(request_id) == 1
    staff = auth("csr1")
    await client.post(f"/api/accounts/requests/{request_id}/work", headers=staff,
                      json={"status": "in_progress"})
    vague = await client.post(f"/api/accounts/requests/{request_id}/work", headers=staff,
                              json={"status": "done"})
    assert vague.status_code == 422
    done = await client.post(f"/api/accounts/requests/{request_id}/work", headers=staff,
                             json={"status": "done", "resolution": "Service starts on the day"})
    assert done.status_code == 200, done.text
    mine = await client.get(f"/api/accounts/requests/accounts/{account_id}", headers=me)
    assert [(r["status"], r["resolution"]) for r in mine.json()] == [
        ("done", "Service starts on the day")]
    reopened = await client.post(f"/api/accounts/requests/{request_id}/work", headers=staff,
                                 json={"status": "in_progress"})
    assert reopened.status_code == 409
    still_open = await client.get("/api/accounts/requests", headers=staff)
    assert request_id not in [r["id"] for r in still_open.json()]
    assert len(await audits(bound, "request.file")) == 1


async def test_each_kind_says_what_it_needs(client, auth):
    account_id = await _account(client, auth)
    me = auth("customer", sub="cust-2", accounts=(account_id,))
    url = f"/api/accounts/requests/accounts/{account_id}"
    yesterday = (date.today() - timedelta(days=5)).isoformat()
    day = (date.today() + timedelta(days=7)).isoformat()
    cases = [({"kind": "stop"}, "preferred_date"),
             ({"kind": "stop", "preferred_date": yesterday}, "preferred_date"),
             ({"kind": "transfer", "preferred_date": day}, "address"),
             ({"kind": "high_bill_review"}, "bill_id"),
             ({"kind": "contact", "message": "  "}, "message")]
    for body, field in cases:
        r = await client.post(url, headers=me, json=body)
        assert r.status_code == 422, (body, r.text)
        assert field in r.text
    ok = await client.post(url, headers=me, json={"kind": "contact", "message": "Hello"})
    assert ok.status_code == 201
    card = await client.post(url, headers=me, json={"kind": "contact", "message": "x",
                                                     "card_number": "4242424242424242"})
    assert card.status_code == 422


async def test_another_customers_account_and_request_answer_404_and_nothing_is_filed(
        client, auth):
    mine, theirs = await _account(client, auth), await _account(client, auth)
    me = auth("customer", sub="cust-3", accounts=(mine,))
    them = auth("customer", sub="cust-4", accounts=(theirs,))
    theirs_req = await client.post(f"/api/accounts/requests/accounts/{theirs}", headers=them,
                                   json={"kind": "contact", "message": "Mine"})
    rid = theirs_req.json()["id"]
    assert (await client.post(f"/api/accounts/requests/accounts/{theirs}", headers=me,
                              json={"kind": "contact", "message": "x"})).status_code == 404
    assert (await client.get(f"/api/accounts/requests/accounts/{theirs}",
                             headers=me)).status_code == 404
    assert (await client.get(f"/api/accounts/requests/{rid}", headers=me)).status_code == 404
    assert (await client.get(f"/api/accounts/requests/{uuid.uuid4()}",
                             headers=me)).status_code == 404
    assert (await client.get("/api/accounts/requests", headers=me)).status_code == 403
    assert (await client.post(f"/api/accounts/requests/{rid}/work", headers=me,
                              json={"status": "done", "resolution": "x"})).status_code == 403
    theirs_list = await client.get(f"/api/accounts/requests/accounts/{theirs}", headers=them)
    assert len(theirs_list.json()) == 1


async def test_a_customer_turns_paper_bills_off_for_their_own_account_only(client, auth):
    mine, theirs = await _account(client, auth), await _account(client, auth)
    me = auth("customer", sub="cust-5", accounts=(mine,))
    on = await client.put(f"/api/accounts/accounts/{mine}/paperless", headers=me,
                          json={"paperless": True})
    assert on.status_code == 200 and on.json()["paperless"] is True
    foreign = await client.put(f"/api/accounts/accounts/{theirs}/paperless", headers=me,
                               json={"paperless": True})
    assert foreign.status_code == 404
    theirs_now = await client.get(f"/api/accounts/accounts/{theirs}", headers=auth("csr1"))
    assert theirs_now.json()["paperless"] is False
    off = await client.put(f"/api/accounts/accounts/{mine}/paperless", headers=me,
                           json={"paperless": False})
    assert off.json()["paperless"] is False


async def test_a_high_bill_review_names_only_a_bill_of_the_same_account(client, auth, bound):
    from sqlalchemy import text

    mine, theirs = await _account(client, auth), await _account(client, auth)
    bills = {a: uuid.uuid4() for a in (mine, theirs)}
    for account_id, bill_id in bills.items():
        await bound["accounts"].execute(text(
            "INSERT INTO bill_facts (bill_id, account_id, bill_date, total) "
            "VALUES (:b, :a, :d, 84.17)"), {"b": bill_id, "a": account_id, "d": date.today()})
    me = auth("customer", sub="cust-6", accounts=(mine,))
    url = f"/api/accounts/requests/accounts/{mine}"
    foreign = await client.post(url, headers=me, json={
        "kind": "high_bill_review", "bill_id": str(bills[theirs]), "message": "Too high"})
    assert foreign.status_code == 404
    own = await client.post(url, headers=me, json={
        "kind": "high_bill_review", "bill_id": str(bills[mine]), "message": "Too high"})
    assert own.status_code == 201, own.text
    listed = await client.get(url, headers=me)
    assert [r["bill_id"] for r in listed.json()] == [str(bills[mine])]
